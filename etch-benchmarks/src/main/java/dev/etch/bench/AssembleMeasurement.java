package dev.etch.bench;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;

/**
 * What recovery's bottom-up assembly costs on its own: {@code applyAll} of {@code n}
 * distinct string keys into an empty {@link PersistentHashMap} builder, in nanoseconds per
 * entry, repeated so that the later runs are compiled.
 *
 * <p>Usage: {@code java -Xmx4g -cp benchmarks.jar dev.etch.bench.AssembleMeasurement [n] [runs]}
 */
public final class AssembleMeasurement {

    private AssembleMeasurement() {}

    /**
     * Runs the measurement.
     *
     * @param args entries (default 2,000,000), runs (default 8)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Object[] keys = new Object[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            String key = Book.key(i);
            key.hashCode(); // cached, as recovery's decoders leave it
            keys[i] = key;
            values[i] = i;
        }
        for (int run = 1; run <= runs; run++) {
            PersistentMap.Builder<Object, Object> builder = PersistentHashMap.empty().toBuilder();
            long started = System.nanoTime();
            builder.applyAll(keys, values, n);
            long took = System.nanoTime() - started;
            System.out.printf("run %d: %.1f ms = %.0f ns/entry (%d entries)%n", run, took / 1e6, took / (double) n,
                    builder.size());
        }
    }
}
