package dev.etch.bench;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Bytes allocated per single-record write on the writing thread, under a flush policy, with
 * automatic snapshots off so that only the write path counts (JMH's {@code -prof gc} adds the
 * snapshot and flush threads). Four rounds of 500,000 writes over 100,000 keys; the first
 * rounds warm the JIT up, so read the last. Steadier than throughput on this machine, but not
 * exact: one build measured 1,717 B in one JVM and 1,805 B in the next (the JIT's inlining and
 * escape analysis differ between runs), so compare several processes per build.
 *
 * <p>Run: {@code java -cp etch-benchmarks/target/benchmarks.jar dev.etch.bench.WriteAllocationMeasurement
 * [grouped|none|immediate]} (default grouped; immediate fsyncs every write, so expect minutes).
 */
public final class WriteAllocationMeasurement {

    private static final int KEYS = 100_000;
    private static final int WRITES = 500_000;

    private WriteAllocationMeasurement() {}

    /**
     * Prints bytes per write for four rounds.
     *
     * @param args optional flush policy
     */
    public static void main(String[] args) {
        String policyName = args.length > 0 ? args[0] : "grouped";
        FlushPolicy policy = switch (policyName) {
            case "grouped" -> FlushPolicy.grouped(Duration.ofMillis(2));
            case "none" -> FlushPolicy.none();
            case "immediate" -> FlushPolicy.immediate();
            default -> throw new IllegalArgumentException("policy: grouped, none or immediate, was " + policyName);
        };
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] keys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = Book.key(k);
        }
        Book[] values = new Book[1024];
        for (int k = 0; k < values.length; k++) {
            values[k] = Book.of(k);
        }
        Path dir = TempDirs.create("etch-alloc-");
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).flushPolicy(policy)
                .snapshotEvery(0).snapshotLogSize(0).open()) {
            for (int round = 1; round <= 4; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < WRITES; i++) {
                    String key = keys[i % KEYS];
                    Book value = values[i & 1023];
                    store.write(lib -> lib.books().put(key, value));
                }
                double perWrite = (threads.getCurrentThreadAllocatedBytes() - before) / (double) WRITES;
                System.out.printf("%s round %d: %.1f bytes allocated per write on the writing thread%n", policyName,
                        round, perWrite);
            }
        } finally {
            TempDirs.delete(dir);
        }
    }
}
