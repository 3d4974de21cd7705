package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.ValueCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reopen time (a plain program, not JMH: the measured thing is a one-shot cold-ish load).
 *
 * <p>Builds a directory with {@code commits x perCommit} records (default 200 x 10,000 =
 * 2,000,000 distinct keys, {@link FlushPolicy#none()}, automatic snapshots off so everything
 * stays in {@code wal.bin}), closes it, then times {@code EtchStore.open(...)} + {@code close()}
 * several times (the first runs are JIT warm-up; all are printed) and reports records/s of the
 * median run and log bytes per record ({@code Files.size(wal.bin) / records}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.etch.bench.ReplayMeasurement [commits] [perCommit] [runs]
 * [jackson|postcard]} (the value codec; default the store's default, Jackson CBOR)
 */
public final class ReplayMeasurement {

    private ReplayMeasurement() {}

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int perCommit = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ValueCodec codec = codecArgument(args, 3);
        long records = (long) commits * perCommit;
        Path dir = TempDirs.create("etch-replay-");
        try {
            long t0 = System.nanoTime();
            try (EtchStore<Library> store = EtchStore.builder(Library.class)
                    .directory(dir).valueCodec(codec).flushPolicy(FlushPolicy.none()).snapshotEvery(0).snapshotLogSize(0)
                    .open()) {
                Library.writeBooks(store, 0, records, perCommit);
            }
            long buildNs = System.nanoTime() - t0;
            long walBytes = Files.size(dir.resolve("wal.bin"));
            System.out.printf("built %,d records in %d commits in %.2f s; wal.bin = %,d bytes (%.1f B/record)%n",
                    records, commits, buildNs / 1e9, walBytes, (double) walBytes / records);
            try (var files = Files.list(dir)) {
                files.forEach(p -> System.out.println("  " + p.getFileName()));
            }

            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                int size;
                try (EtchStore<Library> store = EtchStore.builder(Library.class)
                        .directory(dir).valueCodec(codec).flushPolicy(FlushPolicy.none()).snapshotEvery(0).snapshotLogSize(0)
                    .open()) {
                    size = store.read().books().size();
                }
                seconds[r] = (System.nanoTime() - s) / 1e9;
                if (size != records) {
                    throw new IllegalStateException("replayed " + size + " records, expected " + records);
                }
                long walNow = Files.size(dir.resolve("wal.bin"));
                System.out.printf("run %d: open+close %.3f s = %,.0f records/s (wal.bin %,d bytes)%n",
                        r + 1, seconds[r], records / seconds[r], walNow);
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted[runs / 2];
            System.out.printf("RESULT codec=" + codec.name() + " records=%d median_open_close_s=%.3f records_per_s=%.0f best_records_per_s=%.0f wal_bytes=%d bytes_per_record=%.1f%n",
                    records, median, records / median, records / sorted[0], walBytes, (double) walBytes / records);
        } finally {
            TempDirs.delete(dir);
        }
    }

    /**
     * The value codec a measurement's argument names: {@code postcard}, or else the store's
     * default (Jackson CBOR).
     *
     * @param args the program's arguments
     * @param index where the codec's name is, if given
     * @return the codec
     */
    static ValueCodec codecArgument(String[] args, int index) {
        return args.length > index && args[index].equals("postcard") ? ValueCodec.postcard() : ValueCodec.jackson();
    }
}
