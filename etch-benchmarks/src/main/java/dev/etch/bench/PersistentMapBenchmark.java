package dev.etch.bench;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reader-side cost of the snapshot maps against the JDK maps they replace: random
 * {@code get} of present String keys (probes are distinct String instances, as a caller's
 * keys would be), full iteration, and bulk loading through a builder (log replay).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PersistentMapBenchmark {

    /** The maps under test and the keys to look up. */
    abstract static class MapsBase {
        HashMap<String, Object> hashMap;
        TreeMap<String, Object> treeMap;
        PersistentHashMap<String, Object> persistentHashMap;
        PersistentTreeMap<String, Object> persistentTreeMap;
        String[] probes;
    }

    /** Maps of one size, built once, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Maps extends MapsBase {
        /** Number of entries. */
        @Param({"1000", "1000000"})
        public int size;

        /** Builds the maps of {@link #size} entries. */
        @Setup(Level.Trial)
        public void setUp() {
            build(this, size);
        }
    }

    /** The 1,000-entry maps, for the two-thread variants. */
    @State(Scope.Benchmark)
    public static class SmallMaps extends MapsBase {
        /** Builds the maps of 1,000 entries. */
        @Setup(Level.Trial)
        public void setUp() {
            build(this, 1000);
        }
    }

    static void build(MapsBase m, int size) {
        Random rnd = new Random(42);
        List<String> keys = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            keys.add("user:" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
        }
        m.hashMap = new HashMap<>();
        m.treeMap = new TreeMap<>();
        PersistentMap.Builder<String, Object> hb = PersistentHashMap.<String, Object>empty().toBuilder();
        PersistentMap.Builder<String, Object> tb = PersistentTreeMap.<String, Object>empty().toBuilder();
        for (String k : keys) {
            Object v = k.length();
            m.hashMap.put(k, v);
            m.treeMap.put(k, v);
            hb.put(k, v);
            tb.put(k, v);
        }
        m.persistentHashMap = (PersistentHashMap<String, Object>) hb.build();
        m.persistentTreeMap = (PersistentTreeMap<String, Object>) tb.build();
        Collections.shuffle(keys, rnd);
        m.probes = new String[1 << 16];
        for (int i = 0; i < m.probes.length; i++) {
            m.probes[i] = new String(keys.get(i % keys.size()));
            m.probes[i].hashCode();
        }
    }

    /** Each thread walks the probe array from its own position. */
    @State(Scope.Thread)
    public static class Cursor {
        int i = new Random().nextInt(1 << 16);

        String next(String[] probes) {
            return probes[i++ & (probes.length - 1)];
        }
    }

    /** One get of a present key in the map the name says. */
    @Benchmark
    public Object hashMapGet(Maps m, Cursor c) {
        return m.hashMap.get(c.next(m.probes));
    }

    /** One get of a present key in the map the name says. */
    @Benchmark
    public Object persistentHashMapGet(Maps m, Cursor c) {
        return m.persistentHashMap.get(c.next(m.probes));
    }

    /** One get of a present key in the map the name says. */
    @Benchmark
    public Object treeMapGet(Maps m, Cursor c) {
        return m.treeMap.get(c.next(m.probes));
    }

    /** One get of a present key in the map the name says. */
    @Benchmark
    public Object persistentTreeMapGet(Maps m, Cursor c) {
        return m.persistentTreeMap.get(c.next(m.probes));
    }

    /** One get of a present key, two threads reading the 1,000-entry map at once. */
    @Benchmark
    @Threads(2)
    public Object hashMapGet2Threads(SmallMaps m, Cursor c) {
        return m.hashMap.get(c.next(m.probes));
    }

    /** One get of a present key, two threads reading the 1,000-entry map at once. */
    @Benchmark
    @Threads(2)
    public Object persistentHashMapGet2Threads(SmallMaps m, Cursor c) {
        return m.persistentHashMap.get(c.next(m.probes));
    }

    /** One get of a present key, two threads reading the 1,000-entry map at once. */
    @Benchmark
    @Threads(2)
    public Object treeMapGet2Threads(SmallMaps m, Cursor c) {
        return m.treeMap.get(c.next(m.probes));
    }

    /** One get of a present key, two threads reading the 1,000-entry map at once. */
    @Benchmark
    @Threads(2)
    public Object persistentTreeMapGet2Threads(SmallMaps m, Cursor c) {
        return m.persistentTreeMap.get(c.next(m.probes));
    }

    /** One full iteration over the entries of the map the name says. */
    @Benchmark
    public void hashMapIterate(Maps m, Blackhole bh) {
        iterate(m.hashMap, bh);
    }

    /** One full iteration over the entries of the map the name says. */
    @Benchmark
    public void persistentHashMapIterate(Maps m, Blackhole bh) {
        iterate(m.persistentHashMap, bh);
    }

    /** One full iteration over the entries of the map the name says. */
    @Benchmark
    public void treeMapIterate(Maps m, Blackhole bh) {
        iterate(m.treeMap, bh);
    }

    /** One full iteration over the entries of the map the name says. */
    @Benchmark
    public void persistentTreeMapIterate(Maps m, Blackhole bh) {
        iterate(m.persistentTreeMap, bh);
    }

    private static void iterate(Map<String, Object> map, Blackhole bh) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            bh.consume(e.getValue());
        }
    }
}
