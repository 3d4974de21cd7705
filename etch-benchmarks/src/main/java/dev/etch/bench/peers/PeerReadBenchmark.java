package dev.etch.bench.peers;

import dev.etch.bench.Book;
import dev.etch.bench.TempDirs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Point reads, every system side by side: {@code get(key)} returning a {@link Book} on a store of
 * {@code size} records, one and two threads (score = total ops/s of all threads). Each store is
 * file-backed in a fresh /tmp directory, filled in transactions of 10,000 before measuring; keys
 * are visited in a scattered order (stride 7,919) so B-trees get no sequential locality.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeerReadBenchmark extends OnEveryPeer {

    static final int STRIDE = 7_919;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"etch", "h2", "mapdb", "sqlite-normal", "chronicle", "eclipsestore"})
        public String system;

        @Param({"1000", "1000000"})
        public int size;

        Path dir;
        PeerStore store;
        String[] keys;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            keys = Peers.keys(size);
            dir = TempDirs.create("etch-peer-read-");
            store = Peers.open(system, dir, Durability.OS, size);
            Peers.fill(store, keys);
            if (store.get(keys[size / 2]) == null || store.get(keys[size - 1]) == null) {
                throw new IllegalStateException(system + ": store not filled");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            TempDirs.delete(dir);
        }
    }

    /** Per-thread position; threads start half the key space apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;
        int step;

        @Setup(Level.Trial)
        public void setUp(Store s) {
            i = s.threads.getAndIncrement() * (s.size / 2);
            step = STRIDE % s.size;
        }

        int next(int n) {
            int v = i + step;
            if (v >= n) {
                v -= n;
            }
            i = v;
            return v;
        }
    }

    @Benchmark
    @Threads(1)
    public Book get(Store s, Cursor c) {
        return s.store.get(s.keys[c.next(s.size)]);
    }

    @Benchmark
    @Threads(2)
    public Book get2Threads(Store s, Cursor c) {
        return s.store.get(s.keys[c.next(s.size)]);
    }
}
