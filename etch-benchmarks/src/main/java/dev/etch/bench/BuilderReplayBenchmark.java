package dev.etch.bench;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log replay through a persistent-map builder alone (no file, no decoding): 1M operations (80% puts, 20% deletes, over 500k String
 * keys) per invocation; the score is operations per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = "-Xmx4g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class BuilderReplayBenchmark {

    static final int OPS = 1_000_000;

    String[] keys;
    boolean[] deletes;
    Integer[] values;

    /** Generates the operations once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(7);
        String[] space = new String[500_000];
        for (int i = 0; i < space.length; i++) {
            space[i] = "book:" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
        }
        keys = new String[OPS];
        deletes = new boolean[OPS];
        values = new Integer[OPS];
        for (int i = 0; i < OPS; i++) {
            keys[i] = space[rnd.nextInt(space.length)];
            deletes[i] = rnd.nextInt(5) == 0;
            values[i] = i;
        }
    }

    private PersistentMap<String, Integer> replay(PersistentMap<String, Integer> start) {
        PersistentMap.Builder<String, Integer> b = start.toBuilder();
        for (int i = 0; i < OPS; i++) {
            if (deletes[i]) {
                b.remove(keys[i]);
            } else {
                b.put(keys[i], values[i]);
            }
        }
        return b.build();
    }

    /** Replays the operations into an empty PersistentHashMap builder. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object persistentHashMapReplay() {
        return replay(PersistentHashMap.empty());
    }

    /** Replays the operations into an empty PersistentTreeMap builder. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public Object persistentTreeMapReplay() {
        return replay(PersistentTreeMap.empty());
    }
}
