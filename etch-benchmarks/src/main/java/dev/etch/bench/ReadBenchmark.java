package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import java.util.HashMap;
import java.util.TreeMap;
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
 * Point reads from an in-memory store: {@code store.read().books().get(key)} (and
 * {@code store.read().sorted().get(longKey)} on the sorted collection), one and two threads,
 * against a plain {@link HashMap} and {@link TreeMap} holding the same keys and values.
 *
 * <p>Every key is present; each thread cycles through a precomputed key array in order, and
 * the found value is returned so JMH consumes it. Each operation includes {@code read()}
 * (taking the current snapshot), as a user's code would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ReadBenchmark {

    /** Entries in each collection. */
    @Param({"1000", "1000000"})
    public int size;

    EtchStore<Library> store;
    String[] keys;
    Long[] longKeys;
    HashMap<String, Book> hashMap;
    TreeMap<Long, Book> treeMap;

    @Setup(Level.Trial)
    public void setUp() {
        keys = new String[size];
        longKeys = new Long[size];
        hashMap = new HashMap<>();
        treeMap = new TreeMap<>();
        Book[] books = new Book[size];
        for (int i = 0; i < size; i++) {
            keys[i] = Book.key(i);
            longKeys[i] = (long) i * 7919L; // spread, not a dense 0..n range
            books[i] = Book.of(i);
            hashMap.put(keys[i], books[i]);
            treeMap.put(longKeys[i], books[i]);
        }
        store = EtchStore.builder(Library.class).flushPolicy(FlushPolicy.none()).open();
        int batch = 10_000;
        for (int from = 0; from < size; from += batch) {
            int lo = from;
            int hi = Math.min(size, from + batch);
            store.write(lib -> {
                for (int i = lo; i < hi; i++) {
                    lib.books().put(keys[i], books[i]);
                    lib.sorted().put(longKeys[i], books[i]);
                }
            });
        }
        if (store.read().books().size() != size || store.read().sorted().size() != size) {
            throw new IllegalStateException("store not filled");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** Per-thread position in the key array. */
    @State(Scope.Thread)
    public static class Cursor {
        int i;

        int next(int n) {
            int v = i + 1;
            if (v >= n) {
                v = 0;
            }
            i = v;
            return v;
        }
    }

    /** {@code store.read().books().get(key)}, one thread. */
    @Benchmark
    @Threads(1)
    public Book etchGet(Cursor c) {
        return store.read().books().get(keys[c.next(size)]);
    }

    /** {@code store.read().books().get(key)}, two threads (compare the total with {@link #etchGet}). */
    @Benchmark
    @Threads(2)
    public Book etchGet2Threads(Cursor c) {
        return store.read().books().get(keys[c.next(size)]);
    }

    /** {@code store.read().sorted().get(longKey)}: the store's NavigableMap collection. */
    @Benchmark
    @Threads(1)
    public Book etchSortedGet(Cursor c) {
        return store.read().sorted().get(longKeys[c.next(size)]);
    }

    /** Baseline: {@code HashMap.get} on the same String keys. */
    @Benchmark
    @Threads(1)
    public Book hashMapGet(Cursor c) {
        return hashMap.get(keys[c.next(size)]);
    }

    /** Baseline: {@code TreeMap.get} on the same Long keys. */
    @Benchmark
    @Threads(1)
    public Book treeMapGet(Cursor c) {
        return treeMap.get(longKeys[c.next(size)]);
    }
}
