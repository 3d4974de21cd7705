package dev.etch.bench.peers;

import dev.etch.bench.TempDirs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Non-durable ("OS-only") single-record writes, one thread, every system at
 * {@link Durability#OS}: each write transaction is handed to the operating system before it
 * returns (it survives a crash of the process, not of the machine) and nothing is fsynced.
 * Keys cycle over 1,000,000 distinct keys.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        // EclipseStore persists records through jdk.internal.misc.Unsafe (its documented flag).
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PeerOsWriteBenchmark {

    static final int KEYS = 1_000_000;

    @Param({"etch", "h2", "mapdb", "sqlite-normal", "chronicle", "eclipsestore", "raw"})
    public String system;

    Path dir;
    PeerStore store;
    String[] keys;
    int i;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Peers.keys(KEYS);
        dir = TempDirs.create("etch-peer-os-");
        store = Peers.open(system, dir, Durability.OS, KEYS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public void single() {
        int k = i + 1;
        if (k >= KEYS) {
            k = 0;
        }
        i = k;
        store.put(keys[k], Peers.VALUES[k & 1023]);
    }
}
