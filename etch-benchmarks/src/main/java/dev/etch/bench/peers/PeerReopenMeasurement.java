package dev.etch.bench.peers;

import dev.etch.bench.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jol.info.GraphLayout;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reopen time, disk bytes and heap bytes per record, every system (a plain {@code main}, not JMH:
 * each figure is one cold open of a closed directory).
 *
 * <p>Per system: fill a fresh directory with {@code records} records (transactions of 10,000, at
 * {@link Durability#OS}), close it, and measure the directory's size. Then {@code runs} times:
 * open, time until the first {@code get} returns (what a service waits for before it can answer),
 * then read every record once (stride order) and time that too (the lazy systems load here what
 * Etch loads on open), then close. After the last run's full pass the heap still in use
 * (after {@code System.gc()}), minus the heap before opening, divided by the records, is the heap
 * per record; for Etch, JOL's {@link GraphLayout} of the state is printed as a cross-check.
 *
 * <p>Run: {@code java <flags> -cp benchmarks.jar dev.etch.bench.peers.PeerReopenMeasurement
 * RECORDS RUNS OUT.json [systems...]}.
 */
public final class PeerReopenMeasurement {

    static final List<String> ALL = List.of("etch", "h2", "mapdb", "sqlite-normal", "chronicle", "eclipsestore");

    private PeerReopenMeasurement() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path out = args.length > 2 ? Path.of(args[2]) : null;
        List<String> systems = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : ALL;
        String[] keys = Peers.keys(records);
        List<Map<String, Object>> results = new ArrayList<>();
        System.out.printf("records=%,d runs=%d jdk=%s%n", records, runs, System.getProperty("java.version"));
        System.out.println("| system | open → first get (ms, each run) | open + read all (ms, each run) | disk B/record | heap B/record |");
        System.out.println("|---|---|---|---|---|");
        for (String system : systems) {
            results.add(measure(system, keys, runs));
        }
        if (out != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("records", records);
            doc.put("runs", runs);
            doc.put("jdk", System.getProperty("java.vm.version"));
            doc.put("results", results);
            JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
        }
    }

    static Map<String, Object> measure(String system, String[] keys, int runs) {
        int n = keys.length;
        Path dir = TempDirs.create("etch-peer-reopen-");
        try {
            try (PeerStore s = Peers.open(system, dir, Durability.OS, n)) {
                Peers.fill(s, keys);
            }
            long disk = directorySize(dir);
            List<Double> firstGetMs = new ArrayList<>();
            List<Double> fullMs = new ArrayList<>();
            double heapPerRecord = Double.NaN;
            for (int r = 0; r < runs; r++) {
                long before = usedHeapAfterGc();
                long t0 = System.nanoTime();
                PeerStore s = Peers.open(system, dir, Durability.OS, n);
                if (s.get(keys[n / 2]) == null) {
                    throw new IllegalStateException(system + ": record missing after reopen");
                }
                long t1 = System.nanoTime();
                int i = 0;
                for (int c = 0; c < n; c++) {
                    i += PeerReadBenchmark.STRIDE % n;
                    if (i >= n) {
                        i -= n;
                    }
                    if (s.get(keys[i]) == null) {
                        throw new IllegalStateException(system + ": record " + i + " missing after reopen");
                    }
                }
                long t2 = System.nanoTime();
                firstGetMs.add((t1 - t0) / 1e6);
                fullMs.add((t2 - t0) / 1e6);
                if (r == runs - 1) {
                    heapPerRecord = (double) (usedHeapAfterGc() - before) / n;
                    if (s instanceof EtchPeer e) {
                        try { // needs -Djol.magicFieldOffset=true for record fields
                            long jol = GraphLayout.parseInstance(e.store.read()).totalSize();
                            System.out.printf("  (etch: JOL retained size of the state %,d B = %.1f B/record)%n", jol, (double) jol / n);
                        } catch (RuntimeException ex) {
                            System.out.println("  (etch: JOL cross-check failed: " + ex + ")");
                        }
                    }
                }
                s.close();
            }
            System.out.printf("| %s | %s | %s | %.1f | %.1f |%n", system, fmt(firstGetMs), fmt(fullMs),
                    (double) disk / n, heapPerRecord);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", system);
            m.put("records", n);
            m.put("openToFirstGetMs", firstGetMs);
            m.put("openAndReadAllMs", fullMs);
            m.put("diskBytes", disk);
            m.put("diskBytesPerRecord", (double) disk / n);
            m.put("heapBytesPerRecord", heapPerRecord);
            return m;
        } finally {
            TempDirs.delete(dir);
        }
    }

    static String fmt(List<Double> ms) {
        StringBuilder b = new StringBuilder();
        for (double d : ms) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format("%,.0f", d));
        }
        return b.toString();
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long directorySize(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
