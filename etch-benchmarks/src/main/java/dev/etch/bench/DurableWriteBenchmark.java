package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * Writes to a directory-backed store (a fresh temp directory under /tmp per trial, deleted
 * afterwards). By default with {@link FlushPolicy#immediate()}: every write returns only after
 * its log entry is fsynced. {@code -p policy=grouped} measures {@code FlushPolicy.grouped(2ms)}
 * (acknowledged at once, fsynced in the background) and {@code -p policy=none} the unsynced
 * policy.
 *
 * <ul>
 *   <li>{@link #singleRecord}: one put per transaction, one thread; compare with
 *       {@link RawFsyncBenchmark} (the disk's append+fsync limit).
 *   <li>{@link #singleRecord16Threads}: the same with 16 threads; concurrent writers may share
 *       an fsync (group commit), so the total can exceed the one-thread rate.
 *   <li>{@link #batch100k}: one transaction of 100,000 puts; the score is records/s
 *       ({@code @OperationsPerInvocation(100_000)}).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableWriteBenchmark {

    static final int KEYS = 1_000_000;
    static final int BATCH = 100_000;

    /** The store and the precomputed keys and values, shared by all threads of a trial. */
    @State(Scope.Benchmark)
    public static class Store {
        /** immediate | grouped (2 ms) | none. */
        @Param({"immediate"})
        String policy;
        Path dir;
        EtchStore<Library> store;
        String[] keys;
        Book[] values;
        final AtomicInteger threadIds = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() {
            keys = new String[KEYS];
            for (int k = 0; k < KEYS; k++) {
                keys[k] = Book.key(k);
            }
            values = new Book[1024];
            for (int k = 0; k < values.length; k++) {
                values[k] = Book.of(k);
            }
            dir = TempDirs.create("etch-durable-");
            store = EtchStore.builder(Library.class)
                    .directory(dir)
                    .flushPolicy(switch (policy) {
                        case "immediate" -> FlushPolicy.immediate();
                        case "grouped" -> FlushPolicy.grouped(java.time.Duration.ofMillis(2));
                        case "none" -> FlushPolicy.none();
                        default -> throw new IllegalArgumentException("policy " + policy);
                    })
                    .open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // Sanity check printed into the JMH log: commits vs fsyncs of the whole trial.
            var stats = store.stats();
            System.out.printf("%n[etch stats] commits=%d fsyncs=%d commits/fsync=%.2f logBytes=%d%n",
                    stats.commits(), stats.fsyncs(), (double) stats.commits() / Math.max(1, stats.fsyncs()),
                    stats.logBytes());
            store.close();
            TempDirs.delete(dir);
        }
    }

    /** Per-thread key cursor; threads start at different offsets. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;

        @Setup(Level.Trial)
        public void setUp(Store s) {
            i = s.threadIds.getAndIncrement() * (KEYS / 16);
        }

        int next() {
            int v = i + 1;
            if (v >= KEYS) {
                v = 0;
            }
            i = v;
            return v;
        }
    }

    static void putOne(Store s, Cursor c) {
        int k = c.next();
        String key = s.keys[k];
        Book value = s.values[k & 1023];
        s.store.write(lib -> lib.books().put(key, value));
    }

    /** One put per durable transaction, one thread. */
    @Benchmark
    @Threads(1)
    public void singleRecord(Store s, Cursor c) {
        putOne(s, c);
    }

    /** One put per durable transaction, 16 threads (score = total of all threads). */
    @Benchmark
    @Threads(16)
    public void singleRecord16Threads(Store s, Cursor c) {
        putOne(s, c);
    }

    /** One durable transaction of 100,000 puts; score in records/s. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void batch100k(Store s, Cursor c) {
        int start = c.i;
        c.i = (start + BATCH) % KEYS;
        String[] keys = s.keys;
        Book[] values = s.values;
        s.store.write(lib -> {
            var books = lib.books();
            for (int n = 0; n < BATCH; n++) {
                int k = (start + n) % KEYS;
                books.put(keys[k], values[k & 1023]);
            }
        });
    }
}
