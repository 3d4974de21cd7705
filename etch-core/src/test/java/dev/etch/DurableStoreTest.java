package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.Library.Book;
import dev.etch.Library.Loan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store in a directory: what survives a reopen, what a damaged log costs, who may open it. */
class DurableStoreTest {

    private static final Book DUNE = new Book("Dune", "Herbert", 1965);
    private static final Book EMMA = new Book("Emma", "Austen", 1815);

    @TempDir
    Path dir;

    @Test
    void everyCommittedWriteSurvivesAReopen() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("isbn-1", DUNE));
            store.write(lib -> {
                lib.books().put("isbn-2", EMMA);
                lib.loans().put(7L, new Loan("isbn-2", "ana"));
            });
            store.write(lib -> lib.books().remove("isbn-1"));
            assertThatThrownBy(() -> store.write(lib -> {
                lib.books().clear();
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            assertThat(store.stats().entriesSinceSnapshot()).isEqualTo(3);
            assertThat(store.stats().fsyncs()).isGreaterThanOrEqualTo(3);
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsExactly(Map.entry("isbn-2", EMMA));
            assertThat(store.read().loans()).containsExactly(Map.entry(7L, new Loan("isbn-2", "ana")));
            ReplayReport report = store.replayReport();
            assertThat(report.entriesReplayed()).isEqualTo(3);
            assertThat(report.opsReplayed()).isEqualTo(4);
            assertThat(report.lostAnything()).isFalse();
            assertThat(report.discardedAtOffset()).isEqualTo(-1);
        }
    }

    /** A Java string may hold an unpaired surrogate; its UTF-8 bytes would read back as '?'. */
    @Test
    void aKeyWithNoUtf8FormIsRefusedRatherThanStoredAsAnotherKey() {
        String paired = "isbn-\uD83D\uDCD6"; // a supplementary character: a valid pair
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put(paired, DUNE));
            for (String unpaired : List.of("isbn-\uD800", "\uDC00isbn", "isbn-\uD800x")) {
                assertThatThrownBy(() -> store.write(lib -> lib.books().put(unpaired, EMMA)))
                        .isInstanceOf(EtchCodecException.class)
                        .hasMessageContaining("unpaired surrogate");
            }
            assertThat(store.read().books()).containsOnlyKeys(paired);
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsExactly(Map.entry(paired, DUNE));
        }
    }

    @Test
    void aKeyChangedSeveralTimesInOneTransactionIsLoggedOnceWithItsLastChange() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("kept", DUNE));
            store.write(lib -> {
                var books = lib.books();
                books.put("a", DUNE);
                books.put("b", DUNE);
                books.put("a", EMMA);
                books.remove("b");
                books.remove("kept");
                books.put("kept", EMMA);
                for (int i = 0; i < 3_000; i++) {
                    books.put("c" + i, DUNE);
                    if (i >= 1) {
                        books.put("c" + (i - 1), new Book("Copy " + (i - 1), "Anon", i));
                    }
                }
                books.remove("c2999");
                lib.loans().put(7L, new Loan("a", "ana"));
                lib.loans().put(7L, new Loan("a", "bo"));
            });
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            var books = store.read().books();
            assertThat(books).hasSize(2 + 2_999);
            assertThat(books.get("a")).isEqualTo(EMMA);
            assertThat(books).doesNotContainKey("b").doesNotContainKey("c2999");
            assertThat(books.get("kept")).isEqualTo(EMMA);
            assertThat(books.get("c0")).isEqualTo(new Book("Copy 0", "Anon", 1));
            assertThat(books.get("c2998")).isEqualTo(new Book("Copy 2998", "Anon", 2999));
            assertThat(store.read().loans()).containsExactly(Map.entry(7L, new Loan("a", "bo")));
            // One op per changed key: kept (first commit), then a, b, kept, c0..c2999 and loan 7.
            assertThat(store.replayReport().opsReplayed()).isEqualTo(1 + 3 + 3_000 + 1);
        }
    }

    @Test
    void aDirectoryHasOneOwnerAtATime() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                    .isInstanceOf(DatabaseLockedException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .satisfies(e -> assertThat(((DatabaseLockedException) e).ownerPid())
                            .hasValue(ProcessHandle.current().pid()));
            store.write(lib -> lib.books().put("a", DUNE));
        }
        try (EtchStore<Library> again = EtchStore.open(Library.class, dir)) {
            assertThat(again.read().books()).containsKey("a");
        }
    }

    @Test
    void theLogReservesSpaceAheadOfAppendsAndACleanCloseLeavesOnlyTheEntries() throws IOException {
        Path copy = dir.resolveSibling(dir.getFileName() + "-as-a-crash-leaves-it");
        long logBytes;
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).flushPolicy(FlushPolicy.none())
                .open()) {
            // Past the first 1 MiB reservation, so that appends go on into a second one.
            for (int i = 0; i < 20_000; i++) {
                String key = "k" + i;
                store.write(lib -> lib.books().put(key, DUNE));
            }
            logBytes = store.stats().logBytes();
            assertThat(logBytes).isGreaterThan(1 << 20);
            assertThat(Files.size(dir.resolve("wal.bin"))).as("reserved zeros after the entries")
                    .isGreaterThan(logBytes);
            // What a crash leaves: the entries and the reserved zeros, no clean close.
            Files.createDirectories(copy);
            Files.copy(dir.resolve("wal.bin"), copy.resolve("wal.bin"));
        }
        assertThat(Files.size(dir.resolve("wal.bin"))).as("closed: exactly the entries").isEqualTo(logBytes);

        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(copy).strictRecovery(true).open()) {
            assertThat(store.read().books()).hasSize(20_000);
            assertThat(store.replayReport().lostAnything()).as("zeros are not damage, even to strict recovery")
                    .isFalse();
            assertThat(store.stats().logBytes()).isEqualTo(logBytes);
            store.write(lib -> lib.books().put("after", EMMA));
        }
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(copy).strictRecovery(true).open()) {
            assertThat(store.read().books()).hasSize(20_001).containsKey("after");
        }
    }

    @Test
    void aTransactionLargerThanTheWritersBuffersIsWrittenWholeBetweenSmallOnes() throws IOException {
        long logBytes;
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("before", DUNE));
            // About 1 MB in one entry: past the 64 KiB under which appends use reserved
            // space, and written through the 256 KiB staging buffer in several pieces.
            store.write(lib -> {
                for (int i = 0; i < 20_000; i++) {
                    lib.books().put("big-" + i, i % 2 == 0 ? DUNE : EMMA);
                }
            });
            store.write(lib -> lib.books().put("after", EMMA));
            logBytes = store.stats().logBytes();
            assertThat(logBytes).as("several staging buffers").isGreaterThan(3 * (256 << 10));
        }
        assertThat(Files.size(dir.resolve("wal.bin"))).isEqualTo(logBytes);
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open()) {
            assertThat(store.read().books()).hasSize(20_002).containsEntry("before", DUNE)
                    .containsEntry("big-19999", EMMA).containsEntry("after", EMMA);
            assertThat(store.replayReport().entriesReplayed()).isEqualTo(3);
        }
    }

    @Test
    void aTornTailIsCutOffAndLaterWritesSurviveTheNextOpen() throws IOException {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("a", DUNE));
            store.write(lib -> lib.books().put("b", EMMA));
        }
        Path wal = dir.resolve("wal.bin");
        long whole = Files.size(wal);
        truncate(wal, whole - 3);

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
            ReplayReport report = store.replayReport();
            assertThat(report.bytesDiscarded()).isPositive();
            assertThat(report.discardReason()).isPresent();
            assertThat(report.lostAnything()).isTrue();
            store.write(lib -> lib.books().put("c", EMMA));
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).as("no hole between the cut and the next append")
                    .containsOnlyKeys("a", "c");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @Test
    void strictRecoveryFailsOnDamageAndChangesNothing() throws IOException {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("a", DUNE));
            store.write(lib -> lib.books().put("b", EMMA));
        }
        Path wal = dir.resolve("wal.bin");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[bytes.length - 12] ^= 0x40;
        Files.write(wal, bytes);

        assertThatThrownBy(() -> EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open())
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("wal.bin")
                .hasMessageContaining("open without strictRecovery")
                .satisfies(e -> assertThat(((WalCorruptedException) e).offset()).isPositive());
        assertThat(Files.readAllBytes(wal)).as("strict mode discards nothing").isEqualTo(bytes);

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
            assertThat(store.replayReport().discardReason()).hasValueSatisfying(r -> assertThat(r).contains("checksum"));
        }
    }

    /** The Library of an older release that had a third collection, since removed. */
    public record OldLibrary(
            @EtchCollection(0) Map<String, Book> books,
            @EtchCollection(1) NavigableMap<Long, Loan> loans,
            @EtchCollection(9) Map<String, String> notes) {}

    @Test
    void operationsOnACollectionTheTypeNoLongerHasAreReported() {
        try (EtchStore<OldLibrary> store = EtchStore.open(OldLibrary.class, dir)) {
            store.write(lib -> {
                lib.books().put("a", DUNE);
                lib.notes().put("n1", "first");
                lib.notes().put("n2", "second");
            });
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
            assertThat(store.replayReport().skippedOpsByCollection()).containsExactly(Map.entry(9, 2L));
            assertThat(store.replayReport().lostAnything()).isTrue();
        }
    }

    /** The same collection id with an incompatible value type. */
    public record Renamed(@EtchCollection(0) Map<String, Long> books) {}

    @Test
    void aValueThatNoLongerDecodesFailsTheOpenNamingCollectionAndKey() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("isbn-9", DUNE));
        }
        assertThatThrownBy(() -> EtchStore.open(Renamed.class, dir))
                .isInstanceOf(EtchCodecException.class)
                .hasMessageContaining("isbn-9")
                .hasMessageContaining("Renamed.books (collection 0)")
                .hasMessageContaining("no longer decodes");
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).as("the failed open released the lock and changed nothing")
                    .containsKey("isbn-9");
        }
    }

    @Test
    void concurrentWritersShareFsyncsAndEachIsDurableWhenAcknowledged() throws Exception {
        int threads = 16;
        int writesPerThread = 40;
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesPerThread; i++) {
                        int n = i;
                        store.write(lib -> lib.books().put(thread + "-" + n, DUNE));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            EtchStats stats = store.stats();
            assertThat(stats.commits()).isEqualTo(threads * writesPerThread);
            assertThat(stats.fsyncs()).as("group commit: fewer fsyncs than commits").isLessThan(stats.commits());
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).hasSize(threads * writesPerThread);
        }
    }

    @Test
    void aMissingDirectoryIsCreatedAndAnUnusableOneIsNamed() throws IOException {
        Path nested = dir.resolve("a/b/c");
        try (EtchStore<Library> store = EtchStore.open(Library.class, nested)) {
            store.write(lib -> lib.books().put("x", DUNE));
        }
        assertThat(nested.resolve("wal.bin")).exists();

        Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");
        assertThatThrownBy(() -> EtchStore.open(Library.class, file))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("plain-file");
    }

    @Test
    void aFileThatIsNotAnEtchLogIsNeverTruncated() throws IOException {
        Files.createDirectories(dir);
        byte[] foreign = "PK\u0003\u0004 this is a zip, not a log, and much longer than a header".getBytes();
        Files.write(dir.resolve("wal.bin"), foreign);
        assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                .isInstanceOf(EtchException.class)
                .hasMessageContaining("wal.bin");
        assertThat(Files.readAllBytes(dir.resolve("wal.bin"))).isEqualTo(foreign);
    }

    @Test
    void closingAGroupedStoreWhileItsFlusherSyncsLosesNothing() {
        // close() used to interrupt the flush thread; an interrupt inside FileChannel.force
        // closes the log's channel, so the final flush failed and close() threw.
        for (int round = 0; round < 60; round++) {
            try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                    .flushPolicy(FlushPolicy.grouped(java.time.Duration.ofNanos(1))).open()) {
                for (int i = 0; i < 20; i++) {
                    String isbn = "r" + round + "-" + i;
                    store.write(lib -> lib.books().put(isbn, DUNE));
                }
            }
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).hasSize(60 * 20);
        }
    }

    @Test
    void anIdleGroupedStoresFlushThreadSleepsUntilTheNextWrite() throws Exception {
        Path idle = dir.resolve("idle-grouped");
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(idle)
                .flushPolicy(FlushPolicy.grouped(java.time.Duration.ofMillis(2))).open()) {
            Thread flusher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("etch-flush-idle-grouped")).findFirst().orElseThrow();
            for (int write = 1; write <= 3; write++) {
                String isbn = "isbn-" + write;
                store.write(lib -> lib.books().put(isbn, DUNE));
                long synced = write;
                awaitTrue(() -> store.stats().fsyncs() >= synced, "the flush thread syncs write " + write);
                // Then it parks without a deadline (WAITING, not TIMED_WAITING): no wake-ups
                // every interval while nothing is written.
                awaitTrue(() -> flusher.getState() == Thread.State.WAITING, "the flush thread sleeps");
            }
        }
    }

    /** Polls a condition every 5 ms for up to ten seconds. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
