package dev.etch.bench;

import dev.etch.EtchStore;
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
 * Single-record write transactions on an in-memory store, one thread:
 * {@code store.write(lib -> lib.books().put(k, v))}. Keys cycle over 1,000,000 distinct
 * precomputed keys (so the map grows to 1M entries, then each put replaces one); values are
 * precomputed. Each operation is one whole committed transaction, visible to readers on return.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class InMemoryWriteBenchmark {

    static final int KEYS = 1_000_000;

    EtchStore<Library> store;
    String[] keys;
    Book[] values;
    int i;

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
        store = EtchStore.inMemory(Library.class);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** One put per write transaction. */
    @Benchmark
    public void singleRecordWrite() {
        int k = i + 1;
        if (k >= KEYS) {
            k = 0;
        }
        i = k;
        String key = keys[k];
        Book value = values[k & 1023];
        store.write(lib -> lib.books().put(key, value));
    }
}
