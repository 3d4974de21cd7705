package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.ValueCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Snapshots, measured as a plain program (each measured thing happens once per run):
 *
 * <ol>
 *   <li>builds a store of {@code records} books ({@link FlushPolicy#grouped} 2 ms, automatic
 *       snapshots off);</li>
 *   <li>takes {@code store.snapshot()} while one writer thread does single-record writes, and
 *       reports the snapshot's duration, its bytes per record, and the writer's latency
 *       percentiles during the snapshot (the target: p99 at most 5 ms);</li>
 *   <li>writes {@code logRecords} more records after the snapshot, closes, and times
 *       {@code open()} from snapshot plus log, in records per second.</li>
 * </ol>
 *
 * <p>Usage: {@code java -Xmx8g -cp benchmarks.jar dev.etch.bench.SnapshotMeasurement
 * [records] [logRecords] [reopenRuns] [jackson|postcard]} (the value codec; default the
 * store's default, Jackson CBOR)
 */
public final class SnapshotMeasurement {

    private SnapshotMeasurement() {}

    /**
     * Runs the measurement.
     *
     * @param args records, logRecords, reopen runs, codec
     * @throws Exception if the store fails
     */
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int logRecords = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ValueCodec codec = ReplayMeasurement.codecArgument(args, 3);
        Path dir = TempDirs.create("etch-snapshot-");
        try {
            EtchStore.Builder<Library> builder = EtchStore.builder(Library.class).directory(dir).valueCodec(codec)
                    .flushPolicy(FlushPolicy.grouped(Duration.ofMillis(2))).snapshotEvery(0).snapshotLogSize(0);
            try (EtchStore<Library> store = builder.open()) {
                Library.writeBooks(store, 0, records, 10_000);
                store.flush();
                measureSnapshotUnderWrites(store, dir, records);
                Library.writeBooks(store, records, records + logRecords, Math.max(1, logRecords));
            }
            long total = (long) records + logRecords;
            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                long started = System.nanoTime();
                try (EtchStore<Library> store = builder.open()) {
                    if (store.read().books().size() != total) {
                        throw new IllegalStateException("reopened " + store.read().books().size() + " records");
                    }
                }
                seconds[r] = (System.nanoTime() - started) / 1e9;
                System.out.printf("reopen %d: %.3f s = %,.0f records/s%n", r + 1, seconds[r], total / seconds[r]);
            }
            Arrays.sort(seconds);
            System.out.printf("RESULT reopen records=%d median_s=%.3f records_per_s=%.0f%n", total, seconds[runs / 2],
                    total / seconds[runs / 2]);
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static void measureSnapshotUnderWrites(EtchStore<Library> store, Path dir, int records) throws Exception {
        AtomicBoolean snapshotting = new AtomicBoolean(true);
        long[] latencies = new long[4_000_000];
        int[] count = new int[1];
        Thread writer = new Thread(() -> {
            int i = 0;
            while (snapshotting.get() && count[0] < latencies.length) {
                int k = i++ % records;
                long started = System.nanoTime();
                store.write(lib -> lib.books().put(Book.key(k), Book.of(k + 1)));
                latencies[count[0]++] = System.nanoTime() - started;
            }
        }, "writer");
        long started = System.nanoTime();
        writer.start();
        store.snapshot();
        long took = System.nanoTime() - started;
        snapshotting.set(false);
        writer.join();
        long[] observed = Arrays.copyOf(latencies, count[0]);
        Arrays.sort(observed);
        long bytes = Files.size(dir.resolve("snapshot.postcard"));
        System.out.printf("RESULT snapshot records=%d seconds=%.3f bytes=%d bytes_per_record=%.1f%n", records,
                took / 1e9, bytes, (double) bytes / records);
        System.out.printf("RESULT writer_during_snapshot writes=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_ms=%.2f%n",
                observed.length, pct(observed, 0.50) / 1e3, pct(observed, 0.99) / 1e3, pct(observed, 0.999) / 1e3,
                observed.length == 0 ? 0 : observed[observed.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }
}
