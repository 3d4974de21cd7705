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
 * 90% reads / 10% writes on 100,000 records, two threads (one per core of the reference
 * machine): every tenth operation of a thread is a one-record write transaction, the others are
 * point reads. Writes are committed at {@link Durability#OS} (handed to the OS, no fsync), so
 * the table compares the engines rather than the disk; durable writes have their own table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeerMixBenchmark extends OnEveryPeer {

    static final int SIZE = 100_000;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"etch", "h2", "mapdb", "sqlite-normal", "chronicle", "eclipsestore"})
        public String system;

        Path dir;
        PeerStore store;
        String[] keys;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            keys = Peers.keys(SIZE);
            dir = TempDirs.create("etch-peer-mix-");
            store = Peers.open(system, dir, Durability.OS, SIZE);
            Peers.fill(store, keys);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            TempDirs.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int i;
        int op;

        @Setup(Level.Trial)
        public void setUp(Store s) {
            i = s.threads.getAndIncrement() * (SIZE / 2);
        }
    }

    @Benchmark
    @Threads(2)
    public Book readWrite90to10(Store s, Cursor c) {
        int k = c.i + PeerReadBenchmark.STRIDE;
        if (k >= SIZE) {
            k -= SIZE;
        }
        c.i = k;
        if (++c.op == 10) {
            c.op = 0;
            s.store.put(s.keys[k], Peers.VALUES[(k + 1) & 1023]);
            return null;
        }
        return s.store.get(s.keys[k]);
    }
}
