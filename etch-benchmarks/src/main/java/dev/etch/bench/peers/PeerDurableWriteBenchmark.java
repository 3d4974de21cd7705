package dev.etch.bench.peers;

import dev.etch.bench.TempDirs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable writes, every system side by side at {@link Durability#SYNC}: a write returns only
 * after its commit is fsynced (for {@code sqlite-normal}: WAL + NORMAL, which SQLite documents as
 * <em>not</em> durable across a power cut; it is here because it is SQLite's usual setting, and
 * the docs mark it). Keys cycle over 1,000,000 distinct keys (the store grows to 1M records, then
 * values are replaced). Chronicle Map and EclipseStore 2.1.3 never fsync (no fsync, fdatasync or
 * msync in {@code strace -f -c} of a run), so they cannot give this durability and are not in this table.
 *
 * <ul>
 *   <li>{@link #single}: one record per transaction, one thread; {@code raw} is the disk's limit.
 *   <li>{@link #single16Threads}: the same with 16 threads (total ops/s): who shares fsyncs.
 *   <li>{@link #batch1k}, {@link #batch100k}: 1,000 / 100,000 records per transaction; records/s.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class PeerDurableWriteBenchmark {

    static final int KEYS = 1_000_000;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"etch", "h2", "mapdb", "sqlite-full", "sqlite-normal", "raw"})
        public String system;

        Path dir;
        PeerStore store;
        String[] keys;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            keys = Peers.keys(KEYS);
            dir = TempDirs.create("etch-peer-durable-");
            store = Peers.open(system, dir, Durability.SYNC, KEYS);
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

        @Setup(Level.Trial)
        public void setUp(Store s) {
            i = s.threads.getAndIncrement() * (KEYS / 16);
        }

        int next() {
            int v = i + 1;
            if (v >= KEYS) {
                v = 0;
            }
            i = v;
            return v;
        }

        int nextBatch(int count) {
            int from = i;
            if (from + count > KEYS) {
                from = 0;
            }
            i = from + count;
            return from;
        }
    }

    static final int ONE_K = 1_000;
    static final int HUNDRED_K = 100_000;

    @Benchmark
    @Threads(1)
    public void single(Store s, Cursor c) {
        int k = c.next();
        s.store.put(s.keys[k], Peers.VALUES[k & 1023]);
    }

    @Benchmark
    @Threads(16)
    public void single16Threads(Store s, Cursor c) {
        int k = c.next();
        s.store.put(s.keys[k], Peers.VALUES[k & 1023]);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(ONE_K)
    public void batch1k(Store s, Cursor c) {
        s.store.putBatch(s.keys, Peers.VALUES, c.nextBatch(ONE_K), ONE_K);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(HUNDRED_K)
    public void batch100k(Store s, Cursor c) {
        s.store.putBatch(s.keys, Peers.VALUES, c.nextBatch(HUNDRED_K), HUNDRED_K);
    }
}
