package dev.etch.bench;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints the retained heap of 1M small records keyed by String in each map, records and keys
 * included (the same objects in every map), and the map structure alone.
 * Run: {@code java -cp etch-benchmarks/target/benchmarks.jar dev.etch.bench.HeapFootprint}.
 */
public final class HeapFootprint {

    /** A typical small value: four fields. */
    record Book(String title, String author, int year, long isbn) {}

    private HeapFootprint() {}

    /**
     * Prints the footprints; needs -Djol.magicFieldOffset=true on JDK 17 (records).
     *
     * @param args optional record count (default 1,000,000)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Random rnd = new Random(1);
        String[] keys = new String[n];
        Book[] books = new Book[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "isbn-" + (9_780_000_000_000L + i);
            books[i] = new Book("Title " + rnd.nextInt(1_000_000), "Author " + rnd.nextInt(10_000), 1900 + rnd.nextInt(125),
                    9_780_000_000_000L + i);
        }
        long data = GraphLayout.parseInstance((Object[]) keys).totalSize()
                + GraphLayout.parseInstance((Object[]) books).totalSize()
                - 2 * (16L + 4L * n);
        HashMap<String, Book> hashMap = new HashMap<>();
        TreeMap<String, Book> treeMap = new TreeMap<>();
        PersistentMap.Builder<String, Book> hb = PersistentHashMap.<String, Book>empty().toBuilder();
        PersistentMap.Builder<String, Book> tb = PersistentTreeMap.<String, Book>empty().toBuilder();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(java.util.Arrays.asList(order), rnd);
        for (int i : order) {
            hashMap.put(keys[i], books[i]);
            treeMap.put(keys[i], books[i]);
            hb.put(keys[i], books[i]);
            tb.put(keys[i], books[i]);
        }
        PersistentMap<String, Book> phm = hb.build();
        PersistentMap<String, Book> ptm = tb.build();
        PersistentTreeMap<String, Book> sortedLoad = PersistentTreeMap.empty();
        PersistentMap.Builder<String, Book> sb = sortedLoad.toBuilder();
        treeMap.forEach(sb::put);
        PersistentMap<String, Book> ptmSorted = sb.build();

        System.out.printf("records: %,d; keys + records alone: %,d bytes (%.1f per record)%n", n, data, (double) data / n);
        long hm = report("HashMap", hashMap, n, data, 0);
        report("PersistentHashMap", phm, n, data, hm);
        long tm = report("TreeMap", treeMap, n, data, 0);
        report("PersistentTreeMap (random-order load)", ptm, n, data, tm);
        report("PersistentTreeMap (sorted load)", ptmSorted, n, data, tm);
    }

    private static long report(String name, Map<?, ?> map, int n, long data, long baseline) {
        long total = GraphLayout.parseInstance(map).totalSize();
        String ratio = baseline == 0 ? "" : String.format("  = %.2fx of the JDK map's total", (double) total / baseline);
        System.out.printf("%-40s total %,13d bytes (%6.1f per record); structure %6.1f per record%s%n",
                name, total, (double) total / n, (double) (total - data) / n, ratio);
        return total;
    }
}
