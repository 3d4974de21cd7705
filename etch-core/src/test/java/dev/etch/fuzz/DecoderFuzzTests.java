package dev.etch.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.etch.EtchException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.codec.postcard.PostcardInput;
import dev.etch.crash.Ledger;
import dev.etch.snapshot.SnapshotReader;
import dev.etch.wal.MalformedEntryException;
import dev.etch.wal.Op;
import dev.etch.wal.WalFormat;
import dev.etch.wal.WalReader;
import dev.etch.wal.WalScan;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The log and snapshot decoders on hostile bytes: whatever a file holds, {@link WalReader#scan},
 * {@link SnapshotReader#read} and {@link WalFormat#decodePayload} return or throw only their
 * documented exceptions ({@link EtchException} and its subclasses, {@link MalformedEntryException}),
 * finish promptly, and allocate in proportion to the input, never to a length it claims.
 *
 * <p>Two drivers feed the same three checks:
 * <ul>
 *   <li>{@link FuzzTest}s, run by Jazzer. In a normal build they replay the committed corpus in
 *       {@code src/test/resources/dev/etch/fuzz/DecoderFuzzTestsInputs/<method>/} (every input that
 *       once found a bug, plus valid seeds); with {@code JAZZER_FUZZ=1} they fuzz, coverage-guided,
 *       for {@code maxDuration}: {@code JAZZER_FUZZ=1 ./mvnw -pl etch-core test
 *       -Dtest='DecoderFuzzTests#walLog'}.</li>
 *   <li>Seeded mutation runs on every build ({@code etch.fuzz.seconds} each, default 3): real logs
 *       and snapshots written by a store, with bit flips, truncations, insertions, deletions,
 *       duplicated ranges and rewritten length fields, half of them with their checksums
 *       recomputed so the damage reaches the structure behind the checksums. A failing input is
 *       saved under {@code target/fuzz-findings/}; add it to the corpus with the fix.</li>
 * </ul>
 */
class DecoderFuzzTests {

    /** Fixed cost of one call (file channel, window, messages), on top of what the input explains. */
    private static final long ALLOCATION_ALLOWANCE = 256 * 1024;
    /** Allocated bytes each input byte may explain: decoded ops cost tens of bytes per payload byte. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;
    private static final int WAL_HEADER = WalFormat.HEADER_SIZE;
    private static final int SNAPSHOT_HEADER = 32;

    /**
     * Counts this thread's allocations. Not used while Jazzer fuzzes: its coverage instrumentation
     * allocates on our thread, and it reports an OutOfMemoryError as a finding itself.
     */
    private static final com.sun.management.ThreadMXBean THREADS =
            System.getenv("JAZZER_FUZZ") == null
                    && ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() ? t : null;

    /** Off until every decoder ran once: first calls load classes. */
    private static boolean warm;
    private static Path scratch;
    private static byte[] seedLog;
    private static byte[] seedSnapshot;
    private static List<byte[]> seedPayloads;

    @BeforeAll
    static void writeSeeds() throws IOException {
        scratch = Files.createTempFile("etch-fuzz-", ".bin");
        scratch.toFile().deleteOnExit();
        Path dir = Files.createTempDirectory("etch-fuzz-seeds-");
        try (EtchStore<Ledger> store = EtchStore.builder(Ledger.class).directory(dir).flushPolicy(FlushPolicy.none())
                .snapshotEvery(0).open()) {
            for (int i = 0; i < 24; i++) {
                String key = "k" + i + "x".repeat(i % 5 * 7);
                long value = i * 1_000_003L;
                store.write(ledger -> {
                    ledger.entries().put(key, value);
                    ledger.twins().put(key, -value);
                    if (value % 3 == 0) {
                        ledger.entries().remove("k" + (value % 7));
                    }
                });
            }
            seedLog = Files.readAllBytes(dir.resolve("wal.bin"));
            store.snapshot();
            seedSnapshot = Files.readAllBytes(dir.resolve("snapshot.postcard"));
        }
        seedPayloads = new ArrayList<>();
        for (int at : frames(seedLog, WAL_HEADER)) {
            int n = PostcardInput.intLE(seedLog, at);
            seedPayloads.add(Arrays.copyOfRange(seedLog, at + 4, at + 4 + n));
        }
        // Load and initialize every class a decoder uses, so no check counts class loading.
        checkWalLog(seedLog);
        checkSnapshot(seedSnapshot);
        checkPayload(seedPayloads.get(0));
        checkWalLog(Arrays.copyOf(seedLog, seedLog.length - 3));
        checkSnapshot(Arrays.copyOf(seedSnapshot, 40));
        checkPayload(new byte[] {9});
        warm = true;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- Jazzer: corpus replay in every build, coverage-guided fuzzing with JAZZER_FUZZ=1 ----

    @FuzzTest(maxDuration = "60s")
    void walLog(byte[] input) throws IOException {
        checkWalLog(input);
    }

    @FuzzTest(maxDuration = "60s")
    void snapshot(byte[] input) throws IOException {
        checkSnapshot(input);
    }

    @FuzzTest(maxDuration = "60s")
    void walPayload(byte[] input) {
        checkPayload(input);
    }

    // ---- Seeded mutation of real files, every build ----

    @Test
    @Timeout(60)
    void mutatedLogsAreReportedNeverThrown() throws IOException {
        checkValidSeedsFirst();
        mutationRun("walLog", seedLog, WAL_HEADER, this::checkWalLogUnchecked);
    }

    @Test
    @Timeout(60)
    void mutatedSnapshotsFailOnlyAsCorrupted() throws IOException {
        mutationRun("snapshot", seedSnapshot, SNAPSHOT_HEADER, this::checkSnapshotUnchecked);
    }

    @Test
    @Timeout(60)
    void mutatedAndRandomPayloadsFailOnlyAsMalformed() throws IOException {
        long deadline = System.nanoTime() + seconds() * 1_000_000_000L;
        long seed = 0x9A1_0000L;
        for (long i = 0; System.nanoTime() < deadline || i < 1_000; i++) {
            Random random = new Random(seed + i);
            byte[] input;
            if (random.nextInt(4) == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = seedPayloads.get(random.nextInt(seedPayloads.size())).clone();
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    input = Mutations.mutate(input, random, 0, -1);
                }
            }
            byte[] payload = input;
            runOrSave("walPayload", seed + i, payload, () -> checkPayload(payload));
        }
    }

    private void checkValidSeedsFirst() throws IOException {
        WalScan scan = scanFile(seedLog);
        assertThat(scan.isClean()).as("the seed log is whole").isTrue();
        assertThat(scan.entries()).isEqualTo(24);
        assertThat(SnapshotReader.read(write(seedSnapshot), (c, k, v) -> {}).records()).isPositive();
    }

    private interface Check {
        void run() throws IOException;
    }

    private void mutationRun(String target, byte[] valid, int headerSize, java.util.function.Consumer<byte[]> check)
            throws IOException {
        long deadline = System.nanoTime() + seconds() * 1_000_000_000L;
        long seed = (long) target.hashCode() << 20;
        long runs = 0;
        for (long i = 0; System.nanoTime() < deadline || i < 1_000; i++) {
            Random random = new Random(seed + i);
            byte[] input = valid.clone();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                input = Mutations.mutate(input, random, headerSize, headerSize);
            }
            if (random.nextBoolean()) {
                Mutations.fixChecksums(input, headerSize);
            }
            byte[] mutated = input;
            runOrSave(target, seed + i, mutated, () -> check.accept(mutated));
            runs++;
        }
        System.out.println(target + ": " + runs + " mutated inputs");
    }

    private static void runOrSave(String target, long seed, byte[] input, Check check) throws IOException {
        try {
            check.run();
        } catch (Throwable failure) {
            Path findings = Path.of("target", "fuzz-findings", target);
            Files.createDirectories(findings);
            Path saved = Files.write(findings.resolve("seed-" + Long.toHexString(seed) + ".bin"), input);
            throw new AssertionError(target + " failed on the input of seed " + Long.toHexString(seed) + ", saved as "
                    + saved.toAbsolutePath() + " (" + input.length + " bytes); copy it into the corpus"
                    + " src/test/resources/dev/etch/fuzz/DecoderFuzzTestsInputs/" + target + "/ with the fix",
                    failure);
        }
    }

    private static long seconds() {
        return Long.getLong("etch.fuzz.seconds", 3);
    }

    // ---- The checks ----

    private void checkWalLogUnchecked(byte[] input) {
        try {
            checkWalLog(input);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void checkSnapshotUnchecked(byte[] input) {
        try {
            checkSnapshot(input);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A log scan returns a consistent report or throws an {@link EtchException}; a cut log then scans clean. */
    static void checkWalLog(byte[] input) throws IOException {
        Path file = write(input);
        long[] visited = new long[2];
        WalScan scan;
        long before = allocated();
        long started = System.nanoTime();
        try {
            scan = WalReader.scan(file, (ops, end) -> {
                visited[0]++;
                visited[1] += ops.size();
            });
        } catch (EtchException notALog) {
            return;
        } finally {
            checkCost(input, before, started);
        }
        assertThat(scan.validEnd()).isBetween(0L, (long) input.length);
        assertThat(scan.entries()).isEqualTo(visited[0]);
        assertThat(scan.ops()).isEqualTo(visited[1]);
        if (scan.headerPresent()) {
            assertThat(scan.validEnd()).isGreaterThanOrEqualTo(WAL_HEADER);
        }
        if (!scan.isClean()) {
            WalReader.truncateToValidEnd(scan);
            WalScan again = WalReader.scan(file, (ops, end) -> {});
            assertThat(again.isClean()).as("the cut log scans clean: %s", again).isTrue();
            assertThat(again.entries()).isEqualTo(scan.entries());
        }
    }

    /** A snapshot read returns a header whose count matches the records, or throws an {@link EtchException}. */
    static void checkSnapshot(byte[] input) throws IOException {
        Path file = write(input);
        long[] records = new long[1];
        SnapshotReader.Header header;
        long before = allocated();
        long started = System.nanoTime();
        try {
            header = SnapshotReader.read(file, (collection, key, value) -> {
                assertThat(collection).isBetween(0, 255);
                records[0]++;
            });
        } catch (EtchException damaged) {
            return;
        } finally {
            checkCost(input, before, started);
        }
        assertThat(header.records()).isEqualTo(records[0]);
    }

    /**
     * A payload decodes or throws {@link MalformedEntryException}, reads nothing outside its range
     * (the same bytes amid garbage decode the same), and its ops hold no more bytes than it does.
     */
    static void checkPayload(byte[] input) {
        long before = allocated();
        long started = System.nanoTime();
        List<Op> ops;
        try {
            ops = WalFormat.decodePayload(input, 0, input.length);
        } catch (MalformedEntryException malformed) {
            ops = null;
        } finally {
            checkCost(input, before, started);
        }
        byte[] framed = new byte[input.length + 64];
        Arrays.fill(framed, (byte) 0x01);
        System.arraycopy(input, 0, framed, 32, input.length);
        List<Op> inFrame;
        try {
            inFrame = WalFormat.decodePayload(framed, 32, input.length);
        } catch (MalformedEntryException malformed) {
            inFrame = null;
        }
        assertThat(inFrame == null).as("decoding depends on bytes outside the payload").isEqualTo(ops == null);
        if (ops != null) {
            long bytes = 0;
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                bytes += op.key().length + (op.isDelete() ? 0 : op.value().length);
                assertThat(op.key()).isEqualTo(inFrame.get(i).key());
            }
            assertThat(bytes).isLessThanOrEqualTo(input.length);
        }
    }

    private static void checkCost(byte[] input, long allocatedBefore, long startedNanos) {
        long tookMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        assertThat(tookMillis).as("decoding %d bytes took %d ms", input.length, tookMillis).isLessThan(2_000);
        if (THREADS != null && warm) {
            long allocated = allocated() - allocatedBefore;
            assertThat(allocated).as("bytes allocated to decode %d input bytes", input.length)
                    .isLessThanOrEqualTo(ALLOCATION_ALLOWANCE + ALLOCATION_PER_INPUT_BYTE * input.length);
        }
    }

    private static long allocated() {
        return THREADS == null ? 0 : THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static Path write(byte[] input) throws IOException {
        return Files.write(scratch, input);
    }

    private static WalScan scanFile(byte[] input) throws IOException {
        return WalReader.scan(write(input), (ops, end) -> {});
    }

    /** Offsets of the whole frames ({@code u32 length, payload, u64 checksum}) after a header. */
    static List<Integer> frames(byte[] bytes, int headerSize) {
        List<Integer> frames = new ArrayList<>();
        int pos = headerSize;
        while (pos + 4 <= bytes.length) {
            long n = Integer.toUnsignedLong(PostcardInput.intLE(bytes, pos));
            if (n == 0 && headerSize == SNAPSHOT_HEADER) {
                break; // a snapshot's end marker
            }
            if (pos + 12 + n > bytes.length) {
                break;
            }
            frames.add(pos);
            pos += 12 + (int) n;
        }
        return frames;
    }
}
