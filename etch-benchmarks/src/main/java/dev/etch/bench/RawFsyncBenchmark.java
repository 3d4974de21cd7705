package dev.etch.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The physical limit for {@link DurableWriteBenchmark#singleRecord}: append a 60-byte record to
 * a file with a {@link FileChannel} and {@code force(false)} (fdatasync) after each, one thread,
 * no database involved. The file is in a fresh temp directory under /tmp, deleted afterwards.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class RawFsyncBenchmark {

    Path dir;
    FileChannel channel;
    ByteBuffer record;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = TempDirs.create("etch-rawfsync-");
        channel = FileChannel.open(dir.resolve("raw.log"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        record = ByteBuffer.allocateDirect(60);
        for (int i = 0; i < 60; i++) {
            record.put((byte) i);
        }
        record.flip();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        TempDirs.delete(dir);
    }

    /** Append 60 bytes, then fdatasync. */
    @Benchmark
    public void appendAndForce() throws IOException {
        record.rewind();
        while (record.hasRemaining()) {
            channel.write(record);
        }
        channel.force(false);
    }
}
