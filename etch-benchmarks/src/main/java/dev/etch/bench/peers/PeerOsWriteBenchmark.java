package dev.etch.bench.peers;

import dev.etch.bench.TempDirs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
@State(Scope.Benchmark)
public class PeerOsWriteBenchmark extends OnEveryPeer {

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
