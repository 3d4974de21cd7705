package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.ValueCodec;
import java.nio.file.Path;

/**
 * Opening a large store the way a service starts: in a JVM that did nothing before (a plain
 * program, not JMH). {@link SnapshotMeasurement} reopens in the JVM that has just built the
 * data, whose heap is still full of the build's garbage; at 10M records that doubled the
 * open time.
 *
 * <p>Two steps, each its own process:
 * <ol>
 *   <li>{@code make <dir> <records> <logRecords> [jackson|postcard]}: writes {@code records}
 *       books, takes a snapshot, then writes {@code logRecords} more into the log;</li>
 *   <li>{@code open <dir> [jackson|postcard]}: opens and closes the directory once, as a
 *       starting service does (JIT warm-up included). A second open in the same JVM would
 *       again find the first one's garbage in the heap, so repeat this step as separate
 *       processes.</li>
 * </ol>
 *
 * <p>Usage: {@code java -Xms14g -Xmx14g -cp benchmarks.jar dev.etch.bench.OpenMeasurement
 * make /tmp/open10m 10000000 100000 postcard}, then, several times, the same with
 * {@code open /tmp/open10m postcard}. The codec must be the same in both steps.
 */
public final class OpenMeasurement {

    private OpenMeasurement() {}

    /**
     * Runs one step.
     *
     * @param args {@code make dir records logRecords [codec]} or {@code open dir runs [codec]}
     * @throws Exception if the store fails
     */
    public static void main(String[] args) throws Exception {
        boolean make = args.length >= 4 && args[0].equals("make");
        if (!make && !(args.length >= 2 && args[0].equals("open"))) {
            throw new IllegalArgumentException("usage: make <dir> <records> <logRecords> [codec] | open <dir> [codec]");
        }
        Path dir = Path.of(args[1]);
        ValueCodec codec = ReplayMeasurement.codecArgument(args, make ? 4 : 2);
        EtchStore.Builder<Library> builder = EtchStore.builder(Library.class).directory(dir).valueCodec(codec)
                .flushPolicy(FlushPolicy.none()).snapshotEvery(0).snapshotLogSize(0);
        if (make) {
            make(builder, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            open(builder);
        }
    }

    private static void make(EtchStore.Builder<Library> builder, int records, int logRecords) {
        try (EtchStore<Library> store = builder.open()) {
            Library.writeBooks(store, 0, records, 10_000);
            store.snapshot();
            Library.writeBooks(store, records, records + logRecords, Math.max(1, logRecords));
        }
    }

    private static void open(EtchStore.Builder<Library> builder) {
        long started = System.nanoTime();
        long records;
        try (EtchStore<Library> store = builder.open()) {
            records = store.read().books().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("RESULT open records=%d seconds=%.3f records_per_s=%.0f%n", records, seconds,
                records / seconds);
    }
}
