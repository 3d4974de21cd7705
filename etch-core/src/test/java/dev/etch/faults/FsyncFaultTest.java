package dev.etch.faults;

import static dev.etch.faults.TestStores.book;
import static dev.etch.faults.TestStores.books;
import static dev.etch.faults.TestStores.open;
import static dev.etch.faults.Waits.await;
import static dev.etch.faults.Waits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStorageException;
import dev.etch.EtchTimeoutException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fsync of the log fails. Every fault here also drops what was written since the last good
 * fsync, as the kernel may after a writeback error, so only what the store writes again survives.
 */
class FsyncFaultTest extends OnAFaultyDisk {

    // ------------------------------------------------------------ immediate

    @Test
    void immediateTheWriteAFailedFsyncCoversFailsIsNeverVisibleAndTheStoreGoesOn() throws Exception {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            store.write(lib -> lib.books().put("a", book("a")));
            long durableBytes = store.stats().logBytes();
            AtomicReference<Set<String>> seenByReader = new AtomicReference<>();
            disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites()
                    .whileFailing(() -> seenByReader.set(CompletableFuture.supplyAsync(() -> books(store)).join()))
                    .once();

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("not durable and was rolled back")
                    .cause().isInstanceOf(IOException.class).hasMessage(Fault.IO_ERROR);
            assertThat(seenByReader.get()).as("another thread, while the fsync was failing").containsExactly("a");
            assertThat(books(store)).containsExactly("a");
            assertThat(store.stats().logBytes()).as("log cut back").isEqualTo(durableBytes);
            assertThat(Files.size(tempDir.resolve("store/wal.bin"))).as("cut back, reserved space too")
                    .isEqualTo(durableBytes);
            assertThat(store.stats().lastFlushError()).isEmpty();

            store.write(lib -> lib.books().put("c", book("c")));
            assertThat(books(store)).containsExactly("a", "c");
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a", "c");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @Test
    void immediateConcurrentWritersSeeExactlyTheirOwnOutcomeAndReopenHasExactlyTheAcknowledged() throws Exception {
        Set<String> acknowledged = new ConcurrentSkipListSet<>();
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().after(10).times(5);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 40; i++) {
                        String key = thread + "-" + i;
                        try {
                            store.write(lib -> lib.books().put(key, book(key)));
                            acknowledged.add(key);
                        } catch (EtchStorageException e) {
                            // not acknowledged: must not appear
                        }
                    }
                }));
            }
            writers.forEach(CompletableFuture::join);
            assertThat(acknowledged).hasSizeLessThan(160).isNotEmpty();
            assertThat(books(store)).isEqualTo(acknowledged);
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).isEqualTo(new TreeSet<>(acknowledged));
        }
    }

    /**
     * A writer that appends while another writer's fsync is failing, and is only queued after
     * that failure was handled, must still fail: the log is cut back under it.
     */
    @Test
    void immediateAWriteAppendedWhileAnFsyncFailsIsNeverPublishedLater() throws Exception {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            store.write(lib -> lib.books().put("a", book("a")));
            CountDownLatch appending = new CountDownLatch(1);
            AtomicReference<CompletableFuture<Void>> late = new AtomicReference<>();
            disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().whileFailing(() -> {
                // Hold the second writer inside its append until the failed fsync is recorded.
                disk.on(FileOperation.WRITE, "wal*.bin").intercepting(() -> {
                    appending.countDown();
                    awaitUntil(() -> store.stats().lastFlushError().isPresent());
                }).once();
                late.set(CompletableFuture.runAsync(() -> store.write(lib -> lib.books().put("w", book("w")))));
                await(appending);
            }).once();

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class);
            assertThatThrownBy(() -> late.get().join()).hasCauseInstanceOf(EtchStorageException.class);
            store.flush();
            assertThat(books(store)).containsExactly("a");
            store.write(lib -> lib.books().put("c", book("c")));
            assertThat(books(store)).containsExactly("a", "c");
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a", "c");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void immediateWhenTheLogCannotBeCutBackEitherWritesAreRefusedUntilReopenWhichRecoversEveryAcknowledgedWrite(
            boolean truncateFails) {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            store.write(lib -> lib.books().put("a", book("a")));
            if (truncateFails) {
                disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().once();
                disk.on(FileOperation.TRUNCATE, "wal*.bin").untilDisarmed();
            } else { // the disk keeps failing fsync, so the cut cannot be made durable
                disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().untilDisarmed();
            }

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            disk.disarmAll();
            assertThatThrownBy(() -> store.write(lib -> lib.books().put("c", book("c"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("refuses writes until it is reopened")
                    .hasMessageContaining("wal.bin");
            assertThat(books(store)).containsExactly("a");
            assertThat(store.stats().lastFlushError()).isPresent();
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a");
            store.write(lib -> lib.books().put("d", book("d")));
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a", "d");
        }
    }

    // ------------------------------------------------------------ grouped and unsynced

    @Test
    void groupedWritesStayAcknowledgedFlushFailsUntilARetrySucceedsAndNothingIsLost() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.grouped(Duration.ofMillis(5)))) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.flush();
            Fault failing = disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().untilDisarmed();

            store.write(lib -> lib.books().put("b", book("b")));
            store.write(lib -> lib.books().put("c", book("c")));
            awaitUntil(() -> failing.hits() >= 2 && store.stats().lastFlushError().isPresent());
            assertThat(books(store)).containsExactly("a", "b", "c");
            assertThat(store.stats().lastFlushError()).get(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                    .hasMessage(Fault.IO_ERROR);
            assertThatThrownBy(store::flush).isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("the sync is retried")
                    .cause().hasMessage(Fault.IO_ERROR);
            assertThatThrownBy(() -> store.writeDurable(lib -> lib.books().put("d", book("d"))))
                    .isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            // Acknowledged, not yet durable: the write stands, as the message says.
            assertThat(books(store)).containsExactly("a", "b", "c", "d");
            store.write(lib -> lib.books().put("e", book("e")));

            failing.disarm();
            store.flush();
            assertThat(store.stats().lastFlushError()).isEmpty();
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a", "b", "c", "d", "e");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @Test
    void unsyncedFlushFailsWhileFsyncFailsAndTheNextFlushRewritesWhatWasLost() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.none())) {
            store.write(lib -> lib.books().put("a", book("a")));
            Fault failing = disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().untilDisarmed();
            assertThatThrownBy(store::flush).isInstanceOf(EtchStorageException.class)
                    .cause().hasMessage(Fault.IO_ERROR);
            store.write(lib -> lib.books().put("b", book("b")));
            assertThatThrownBy(store::flush).isInstanceOf(EtchStorageException.class);
            assertThat(store.stats().lastFlushError()).isPresent();
            assertThat(books(store)).containsExactly("a", "b");

            failing.disarm();
            store.flush();
            assertThat(store.stats().lastFlushError()).isEmpty();
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.none())) {
            assertThat(books(store)).containsExactly("a", "b");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    /**
     * Megabytes of acknowledged entries, far more than the copy kept for a retry starts with,
     * written while fsync fails and the kernel drops them: the retry writes every one again.
     */
    @Test
    void unsyncedMegabytesWrittenWhileFsyncFailsAreAllWrittenAgain() {
        String longTitle = "t".repeat(1000);
        try (EtchStore<Library> store = open(dir, FlushPolicy.none())) {
            store.write(lib -> lib.books().put("first", book("first")));
            Fault failing = disk.on(FileOperation.FORCE, "wal*.bin").losingUnsyncedWrites().untilDisarmed();
            for (int i = 0; i < 3000; i++) {
                String key = "k" + i;
                store.write(lib -> lib.books().put(key, new Library.Book(longTitle, key, 2000)));
            }
            assertThatThrownBy(store::flush).isInstanceOf(EtchStorageException.class);
            assertThat(failing.hits()).isPositive();

            failing.disarm();
            store.flush();
            assertThat(store.stats().lastFlushError()).isEmpty();
            store.write(lib -> lib.books().put("last", book("last")));
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.none())) {
            assertThat(store.replayReport().lostAnything()).isFalse();
            assertThat(store.read().books()).hasSize(3002).containsKeys("first", "k0", "k2999", "last");
            assertThat(store.read().books().get("k1234").title()).isEqualTo(longTitle);
        }
    }

    /**
     * A flush that runs out of time while an fsync is still running says so with its own
     * exception, not as a storage failure: the writes stay acknowledged, the sync finishes, and
     * nothing is lost.
     */
    @ParameterizedTest
    @MethodSource("dev.etch.faults.TestStores#policies")
    void aFlushThatTimesOutWhileAnFsyncRunsLosesNothing(FlushPolicy policy) throws Exception {
        try (EtchStore<Library> store = open(dir, policy)) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.flush();
            CountDownLatch inFsync = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            disk.on(FileOperation.FORCE, "wal*.bin").intercepting(() -> {
                inFsync.countDown();
                await(release);
            }).once();
            CompletableFuture<Void> durable = CompletableFuture.runAsync(
                    () -> store.writeDurable(lib -> lib.books().put("b", book("b"))));
            await(inFsync);

            assertThatThrownBy(() -> store.flush(Duration.ofMillis(50)))
                    .isInstanceOf(EtchTimeoutException.class)
                    .isNotInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("Nothing is lost by the timeout");
            assertThat(store.stats().lastFlushError()).isEmpty();

            release.countDown();
            durable.get(10, TimeUnit.SECONDS);
            store.flush();
            assertThat(books(store)).containsExactly("a", "b");
        }
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).containsExactly("a", "b");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }
}
