package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.Library.Book;
import dev.etch.Library.Loan;
import dev.etch.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshots: the log stops growing, reopen reads the snapshot, damage falls back safely. */
class SnapshotTest {

    @TempDir
    Path dir;

    static Book book(int i) {
        return new Book("title " + i, "author " + (i % 7), 1900 + i % 100);
    }

    @Test
    void aSnapshotOnDemandIsWhatTheNextOpenStartsFrom() throws IOException {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            for (int i = 0; i < 20; i++) {
                int n = i;
                store.write(lib -> {
                    lib.books().put("b" + n, book(n));
                    lib.loans().put((long) n, new Loan("b" + n, "m"));
                });
            }
            store.write(lib -> lib.books().remove("b3"));
            store.snapshot();
            assertThat(store.stats().entriesSinceSnapshot()).isZero();
            assertThat(store.stats().lastSnapshotAt()).isPresent();
            store.write(lib -> lib.books().put("after", book(99)));
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            ReplayReport report = store.replayReport();
            assertThat(report.snapshotLoaded()).isTrue();
            assertThat(report.snapshotRecords()).isEqualTo(19 + 20);
            assertThat(report.entriesReplayed()).as("only what came after the snapshot").isEqualTo(1);
            assertThat(store.read().books()).hasSize(20).containsKey("after").doesNotContainKey("b3");
            assertThat(store.read().loans()).hasSize(20);
            assertThat(store.read().loans().firstKey()).isZero();
        }
    }

    /**
     * The default thresholds grow with the state: on 120,000 records, 60,000 writes (more
     * than the 50,000 floor) take no snapshot, before or after a reopen, and the 120,000th
     * does. A fixed threshold is kept as given whatever the state's size.
     */
    @Test
    void theDefaultThresholdGrowsWithTheStateAndAFixedOneDoesNot() throws Exception {
        int records = 120_000;
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.none()).open()) {
            store.write(lib -> {
                for (int i = 0; i < records; i++) {
                    lib.books().put("b" + i, book(i));
                }
            });
            store.snapshot();
            overwrite(store, 0, 60_000);
            assertThat(store.stats().entriesSinceSnapshot()).as("no automatic snapshot at 60,000 entries")
                    .isEqualTo(60_000);
        }
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.none()).open()) {
            assertThat(store.stats().entriesSinceSnapshot()).isEqualTo(60_000);
            overwrite(store, 60_000, records - 1);
            assertThat(store.stats().entriesSinceSnapshot()).as("one entry short of the snapshot's records")
                    .isEqualTo(records - 1);
            overwrite(store, records - 1, records);
            awaitEntriesSinceSnapshotBelow(store, records);
        }
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.none()).snapshotEvery(50_000).open()) {
            long before = store.stats().entriesSinceSnapshot();
            overwrite(store, 0, 50_000 - before);
            awaitEntriesSinceSnapshotBelow(store, 50_000);
            assertThat(store.read().books()).hasSize(records);
        }
    }

    /** One transaction per book, from {@code from} (inclusive) to {@code to} (exclusive). */
    private static void overwrite(EtchStore<Library> store, long from, long to) {
        for (long i = from; i < to; i++) {
            int n = (int) (i % 120_000);
            store.write(lib -> lib.books().put("b" + n, book(n + 1)));
        }
    }

    private static void awaitEntriesSinceSnapshotBelow(EtchStore<Library> store, long entries)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.stats().entriesSinceSnapshot() >= entries && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.stats().entriesSinceSnapshot()).as("an automatic snapshot started a new segment")
                .isLessThan(entries);
    }

    static Stream<FlushPolicy> policies() {
        return Stream.of(FlushPolicy.immediate(), FlushPolicy.grouped(Duration.ofMillis(2)), FlushPolicy.none());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void automaticSnapshotsKeepTheLogBoundedUnderEveryPolicy(FlushPolicy policy) throws Exception {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).flushPolicy(policy)
                .snapshotEvery(50).open()) {
            for (int i = 0; i < 500; i++) {
                int n = i;
                store.write(lib -> lib.books().put("b" + (n % 40), book(n)));
            }
            store.flush();
            awaitSnapshots(store);
            assertThat(store.stats().entriesSinceSnapshot()).isLessThan(500);
        }
        List<Path> files = files();
        assertThat(files.stream().filter(f -> f.getFileName().toString().startsWith("wal")).count())
                .as("retired segments are deleted: %s", files).isLessThanOrEqualTo(3);
        assertThat(files).contains(dir.resolve("snapshot.postcard"));
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).hasSize(40);
            assertThat(store.read().books().get("b19")).as("499 %% 40 == 19").isEqualTo(book(499));
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
            assertThat(store.replayReport().entriesReplayed()).isLessThan(500);
        }
    }

    @Test
    void theLogSizeThresholdAlsoTriggersSnapshots() throws Exception {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0)
                .snapshotLogSize(4096).flushPolicy(FlushPolicy.none()).open()) {
            for (int i = 0; i < 300; i++) {
                int n = i;
                store.write(lib -> lib.books().put("b" + n, book(n)));
            }
            awaitSnapshots(store);
            assertThat(store.stats().lastSnapshotAt()).isPresent();
        }
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToThePreviousOnePlusItsLogs() throws IOException {
        writeThreeAroundTwoSnapshots();
        damageNewestSnapshot();

        assertThatThrownBy(() -> EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open())
                .isInstanceOf(WalCorruptedException.class).hasMessageContaining("snapshot.postcard");

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("first", "second", "third");
            ReplayReport report = store.replayReport();
            assertThat(report.snapshotLoaded()).isTrue();
            assertThat(report.snapshotFallback()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("snapshot.postcard").contains("checksum"));
            assertThat(report.lostAnything()).isTrue();
        }
    }

    @Test
    void afterAFallbackTheNextSnapshotKeepsTheGoodOneAsThePreviousSnapshot() throws IOException {
        writeThreeAroundTwoSnapshots();
        byte[] good = Files.readAllBytes(dir.resolve("snapshot.prev"));
        byte[] damaged = damageNewestSnapshot();

        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            assertThat(store.replayReport().snapshotFallback()).isPresent();
            store.write(lib -> lib.books().put("fourth", book(4)));
            store.snapshot();
        }
        assertThat(Files.readAllBytes(dir.resolve("snapshot.prev")))
                .as("the snapshot the store opened from stays the fallback").isEqualTo(good);
        assertThat(Files.readAllBytes(dir.resolve("snapshot.postcard.unusable")))
                .as("the unreadable one is set aside, not deleted").isEqualTo(damaged);

        // If the new snapshot is damaged too, the good one and the logs since it still hold everything.
        damageNewestSnapshot();
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("first", "second", "third", "fourth");
            assertThat(store.replayReport().snapshotFallback()).isPresent();
        }
    }

    /** "first", a snapshot, "second", a snapshot, "third": two snapshots and a log after them. */
    private void writeThreeAroundTwoSnapshots() {
        writeThreeAroundTwoSnapshots(dir);
    }

    /** The same in {@code dir}; also the start of {@link LostAndDamagedFilesTest}. */
    static void writeThreeAroundTwoSnapshots(Path dir) {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            store.write(lib -> lib.books().put("first", book(1)));
            store.snapshot();
            store.write(lib -> lib.books().put("second", book(2)));
            store.snapshot();
            store.write(lib -> lib.books().put("third", book(3)));
        }
    }

    /** Flips a byte inside the first block of snapshot.postcard; returns the damaged file. */
    private byte[] damageNewestSnapshot() throws IOException {
        Path newest = dir.resolve("snapshot.postcard");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[40] ^= 0x11;
        Files.write(newest, bytes);
        return bytes;
    }

    @Test
    void withNoReadableSnapshotAndTheOldLogsGoneTheOpenFailsInsteadOfStartingEmpty() throws IOException {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            store.write(lib -> lib.books().put("a", book(1)));
            store.snapshot();
            store.write(lib -> lib.books().put("b", book(2)));
            store.snapshot();
        }
        for (String name : List.of("snapshot.postcard", "snapshot.prev")) {
            Path file = dir.resolve(name);
            Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 20));
        }
        assertThat(dir.resolve("wal.bin")).as("segment 0 was retired").doesNotExist();
        assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("No snapshot")
                .hasMessageContaining("Restore a snapshot from a backup");
    }

    @Test
    void aLeftoverTemporarySnapshotIsRemovedOnOpen() throws IOException {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("a", book(1)));
        }
        Files.writeString(dir.resolve("snapshot.tmp"), "half a snapshot");
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
        }
        assertThat(dir.resolve("snapshot.tmp")).doesNotExist();
    }

    @Test
    void writersAndReadersGoOnWhileASnapshotIsWritten() throws Exception {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0)
                .flushPolicy(FlushPolicy.none()).open()) {
            store.write(lib -> {
                for (int i = 0; i < 100_000; i++) {
                    lib.books().put("b" + i, book(i));
                }
            });
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (!done.get()) {
                    long n = writes.incrementAndGet();
                    store.write(lib -> lib.loans().put(n, new Loan("b" + n, "m")));
                    assertThat(store.read().books()).hasSize(100_000);
                }
            });
            store.snapshot();
            done.set(true);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(writes.get()).as("the writer made progress during the snapshot").isPositive();
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).hasSize(100_000);
            assertThat(store.read().loans()).hasSize((int) store.read().loans().lastKey().longValue());
        }
    }

    @Test
    void damageInAnOlderSegmentDropsTheSegmentsBuiltOnIt() throws IOException {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            store.write(lib -> lib.books().put("a", book(1)));
            store.write(lib -> lib.books().put("b", book(2)));
            store.snapshot(); // segment 1 starts here
            store.write(lib -> lib.books().put("c", book(3)));
            store.write(lib -> lib.books().put("d", book(4)));
        }
        // Make the newest snapshot unusable so the open must replay segment 0 then 1, and
        // damage the end of segment 0: segment 1 was built on it and must go too.
        Files.delete(dir.resolve("snapshot.postcard"));
        Path segment0 = dir.resolve("wal.bin");
        byte[] bytes = Files.readAllBytes(segment0);
        bytes[bytes.length - 1] ^= 1;
        Files.write(segment0, bytes);
        long damagedEntry = WalReader.scan(segment0, (ops, end) -> {}).bytesAfterValidEnd();
        // Segment 1 as a crash leaves it: its entries, then the space reserved after them.
        Path segment1 = dir.resolve(String.format("wal-%020d.bin", 1));
        long segment1Entries = Files.size(segment1);
        Files.write(segment1, new byte[5000], StandardOpenOption.APPEND);

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
            assertThat(store.replayReport().bytesDiscarded()).as("the reserved zeros are not counted")
                    .isEqualTo(damagedEntry + segment1Entries);
        }
        assertThat(dir.resolve(String.format("wal-%020d.bin", 1))).doesNotExist();
        assertThat(dir.resolve(String.format("wal-%020d.bin", 1) + ".cut-0")).as("set aside, not deleted").exists();
    }

    @Test
    void anEtchdbDirectoryIsSnapshottedInEtchsFormatAndStillOpens() throws IOException {
        Files.createDirectories(dir);
        try (var in = getClass().getResourceAsStream("/etchdb/etch-0.3.2-three-commits.wal")) {
            Files.write(dir.resolve("wal.bin"), in.readAllBytes());
        }
        try (EtchStore<EtchdbCompatibilityTest.Users> store = EtchStore.builder(EtchdbCompatibilityTest.Users.class)
                .directory(dir).valueCodec(ValueCodec.postcard()).open()) {
            store.snapshot();
            store.write(s -> s.users().remove("alice"));
        }
        try (EtchStore<EtchdbCompatibilityTest.Users> store = EtchStore.builder(EtchdbCompatibilityTest.Users.class)
                .directory(dir).valueCodec(ValueCodec.postcard()).open()) {
            assertThat(store.read().users()).containsOnlyKeys("carol");
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
        }
    }

    @Test
    void anInMemoryStoreIgnoresSnapshots() {
        try (EtchStore<Library> store = EtchStore.inMemory(Library.class)) {
            store.write(lib -> lib.books().put("a", book(1)));
            store.snapshot();
            assertThat(store.read().books()).containsKey("a");
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    /** Waits for the background snapshot thread to catch up with the last trigger. */
    private static void awaitSnapshots(EtchStore<Library> store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.stats().lastSnapshotAt().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.stats().lastSnapshotAt()).as("a snapshot was written").isPresent();
    }
}
