package dev.etch.faults;

import static dev.etch.faults.TestStores.book;
import static dev.etch.faults.TestStores.books;
import static dev.etch.faults.TestStores.open;
import static dev.etch.faults.Waits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing a snapshot, renaming it into place, or starting the next log segment fails. */
class SnapshotFaultTest extends OnAFaultyDisk {

    @ParameterizedTest
    @MethodSource("dev.etch.faults.TestStores#policies")
    void aDiskFullWhileWritingTheSnapshotFailsItLosesNothingAndTheNextSnapshotSucceeds(FlushPolicy policy) {
        Set<String> expected;
        try (EtchStore<Library> store = open(dir, policy)) {
            writeBooks(store, 0, 300);
            store.snapshot();
            writeBooks(store, 300, 400);
            // The header goes through; a block of records finds the disk full.
            Fault full = disk.on(FileOperation.WRITE, "snapshot.tmp").noSpace().partially().after(1).untilDisarmed();

            assertThatThrownBy(store::snapshot)
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("nothing is lost")
                    .cause().isInstanceOf(IOException.class).hasMessage(Fault.NO_SPACE);
            assertThat(full.hits()).isPositive();
            assertThat(files()).doesNotContain("snapshot.tmp").contains("snapshot.postcard");
            assertThat(store.stats().lastFlushError()).isPresent();
            writeBooks(store, 400, 450);

            full.disarm();
            store.snapshot();
            assertThat(store.stats().lastFlushError()).isEmpty();
            writeBooks(store, 450, 460);
            expected = books(store);
        }
        assertThat(expected).hasSize(460);
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).isEqualTo(expected);
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
            assertThat(store.replayReport().snapshotFallback()).isEmpty();
        }
    }

    @Test
    void aFailedFsyncOfTheSnapshotFailsItAndLosesNothing() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            writeBooks(store, 0, 50);
            disk.on(FileOperation.FORCE, "snapshot.tmp").once();
            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            assertThat(files()).doesNotContain("snapshot.tmp", "snapshot.postcard");
            writeBooks(store, 50, 60);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).hasSize(60);
            assertThat(store.replayReport().snapshotLoaded()).isFalse();
        }
    }

    /**
     * {@code snapshot.postcard} is moved to {@code snapshot.prev} before {@code snapshot.tmp} is
     * moved to {@code snapshot.postcard}; either move may fail.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"snapshot.prev", "snapshot.tmp"})
    void aFailedRenameFailsTheSnapshotLosesNothingAndTheNextSnapshotSucceeds(String failingRename) {
        Set<String> expected;
        try (EtchStore<Library> store = open(dir, FlushPolicy.grouped(java.time.Duration.ofMillis(5)))) {
            writeBooks(store, 0, 100);
            store.snapshot();
            writeBooks(store, 100, 150);
            Fault rename = disk.on(FileOperation.MOVE, failingRename).once();

            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            assertThat(rename.hits()).isEqualTo(1);
            assertThat(files()).doesNotContain("snapshot.tmp");
            writeBooks(store, 150, 170);
            expected = books(store);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).isEqualTo(expected).hasSize(170);
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
            store.snapshot();
            writeBooks(store, 170, 180);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).hasSize(180);
            assertThat(store.replayReport().snapshotFallback()).isEmpty();
        }
    }

    @Test
    void aSnapshotTmpThatCannotBeRemovedAfterAFailureIsRemovedOnTheNextOpen() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            writeBooks(store, 0, 20);
            disk.on(FileOperation.MOVE, "snapshot.tmp").once();
            Fault stuck = disk.on(FileOperation.DELETE, "snapshot.tmp").once();
            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .satisfies(e -> assertThat(e.getCause().getSuppressed()).isNotEmpty());
            assertThat(stuck.hits()).isEqualTo(1);
            assertThat(files()).contains("snapshot.tmp");
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(files()).doesNotContain("snapshot.tmp");
            assertThat(books(store)).hasSize(20);
        }
    }

    @Test
    void aFailedDirectoryFsyncAfterTheRenameFailsTheSnapshotButKeepsEverything() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            writeBooks(store, 0, 20);
            // The first directory fsync makes the new segment durable; the second follows the rename.
            disk.on(FileOperation.FORCE, "store").after(1).once();
            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            writeBooks(store, 20, 30);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).hasSize(30);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.etch.faults.TestStores#policies")
    void whenTheNextLogSegmentCannotBeStartedTheSnapshotFailsAndWritesGoOnInTheCurrentOne(FlushPolicy policy) {
        try (EtchStore<Library> store = open(dir, policy)) {
            writeBooks(store, 0, 20);
            disk.on(FileOperation.CREATE, "wal-*.bin").once();
            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("Cannot create log segment")
                    .cause().hasMessage(Fault.IO_ERROR);
            writeBooks(store, 20, 30);

            disk.on(FileOperation.WRITE, "wal-*.bin").noSpace().once();
            assertThatThrownBy(store::snapshot).isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.NO_SPACE);
            writeBooks(store, 30, 40);
            store.flush();
            assertThat(files()).contains("wal.bin").doesNotContain("snapshot.postcard", "snapshot.tmp");
            assertThat(files().stream().filter(f -> f.startsWith("wal-"))).as("no half-made segment left").isEmpty();
            assertThat(store.stats().entriesSinceSnapshot()).isEqualTo(40);
        }
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).hasSize(40);
            store.snapshot();
        }
    }

    @Test
    void anAutomaticSnapshotFailingInTheBackgroundNeverFailsAWrite() {
        Set<String> expected;
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.grouped(java.time.Duration.ofMillis(5))).snapshotEvery(25).open()) {
            Fault full = disk.on(FileOperation.WRITE, "snapshot.tmp").noSpace().untilDisarmed();
            writeBooks(store, 0, 60);
            awaitUntil(() -> full.hits() > 0 && store.stats().lastFlushError().isPresent());
            writeBooks(store, 60, 120);
            assertThat(store.stats().lastSnapshotAt()).isEmpty();

            full.disarm();
            for (int i = 120; store.stats().lastSnapshotAt().isEmpty(); i++) {
                writeBooks(store, i, i + 1);
                if (i > 10_000) {
                    throw new AssertionError("no automatic snapshot after the fault was disarmed");
                }
                sleep(1);
            }
            awaitUntil(() -> store.stats().lastFlushError().isEmpty());
            expected = books(store);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).isEqualTo(expected);
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
        }
    }

    private static void writeBooks(EtchStore<Library> store, int from, int to) {
        for (int i = from; i < to; i++) {
            String key = String.format("k%05d", i);
            store.write(lib -> lib.books().put(key, book(key)));
        }
    }

    private Set<String> files() {
        try (Stream<Path> files = Files.list(tempDir.resolve("store"))) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
