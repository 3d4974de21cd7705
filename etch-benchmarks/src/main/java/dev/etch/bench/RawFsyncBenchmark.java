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
 * The physical limit for {@link DurableWriteBenchmark#singleRecord}: write a 60-byte record to
 * a file with a {@link FileChannel} and {@code force(false)} (fdatasync) after each, one thread,
 * no database involved. The files are in a fresh temp directory under /tmp, deleted afterwards.
 *
 * <ul>
 *   <li>{@link #appendAndForce}: appends, so every fdatasync also commits the file's new size
 *       (on ext4, through the journal);</li>
 *   <li>{@link #overwriteAndForce}: writes over zeros written ahead, 1 MiB at a time, as the
 *       Etch log does: the limit for a log that reserves its space. The zeros are written
 *       (and synced with the next record) when the record would pass them.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class RawFsyncBenchmark {

    private static final int RESERVE = 1 << 20;

    Path dir;
    FileChannel channel;
    FileChannel reserved;
    long position;
    long reservedEnd;
    ByteBuffer record;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = TempDirs.create("etch-rawfsync-");
        channel = FileChannel.open(dir.resolve("raw.log"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        reserved = FileChannel.open(dir.resolve("reserved.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        record = ByteBuffer.allocateDirect(60);
        for (int i = 0; i < 60; i++) {
            record.put((byte) i);
        }
        record.flip();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        reserved.close();
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

    /** Write 60 bytes over zeros written ahead, then fdatasync. */
    @Benchmark
    public void overwriteAndForce() throws IOException {
        if (position + record.capacity() > reservedEnd) {
            ByteBuffer zeros = ByteBuffer.allocate(RESERVE);
            while (zeros.hasRemaining()) {
                reserved.write(zeros, reservedEnd + zeros.position());
            }
            reservedEnd += RESERVE;
        }
        record.rewind();
        while (record.hasRemaining()) {
            position += reserved.write(record, position);
        }
        reserved.force(false);
    }
}
