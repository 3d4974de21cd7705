package dev.etch.bench;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A cross-check of {@link PersistentMapBenchmark}'s get figures on a shared machine: counts
 * gets per second of this thread's CPU time rather than of wall time, so other processes
 * competing for the cores skew it less (they still share the caches). Not a JMH benchmark:
 * use it for ratios, and JMH on a quiet machine for absolute numbers.
 * Run: {@code java -cp etch-benchmarks/target/benchmarks.jar dev.etch.bench.GetCpuTimeCheck 1000}.
 */
public final class GetCpuTimeCheck {

    private GetCpuTimeCheck() {}

    /**
     * Prints get rates per CPU-second for four rounds.
     *
     * @param args optional entry count (default 1,000)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Random rnd = new Random(42);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("user:" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
        }
        Map<String, Object> hashMap = new HashMap<>();
        Map<String, Object> treeMap = new TreeMap<>();
        PersistentMap.Builder<String, Object> hb = PersistentHashMap.<String, Object>empty().toBuilder();
        PersistentMap.Builder<String, Object> tb = PersistentTreeMap.<String, Object>empty().toBuilder();
        for (String k : keys) {
            hashMap.put(k, k.length());
            treeMap.put(k, k.length());
            hb.put(k, k.length());
            tb.put(k, k.length());
        }
        List<Map<String, Object>> maps = List.of(hashMap, hb.build(), treeMap, tb.build());
        List<String> names = List.of("HashMap", "PersistentHashMap", "TreeMap", "PersistentTreeMap");
        Collections.shuffle(keys, rnd);
        String[] probes = new String[1 << 16];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new String(keys.get(i % n));
            probes[i].hashCode();
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int reps = 20_000_000;
        long sink = 0;
        for (int round = 0; round < 4; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int m = 0; m < maps.size(); m++) {
                Map<String, Object> map = maps.get(m);
                long t = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    sink += map.get(probes[i & (probes.length - 1)]).hashCode();
                }
                t = cpu.getCurrentThreadCpuTime() - t;
                line.append(String.format("  %s %.1fM get/s", names.get(m), reps * 1e3 / t));
            }
            System.out.println(line);
        }
        System.out.println("(checksum " + sink + ")");
    }
}
