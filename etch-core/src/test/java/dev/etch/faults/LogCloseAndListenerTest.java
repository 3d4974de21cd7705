package dev.etch.faults;

import static dev.etch.faults.TestStores.book;
import static dev.etch.faults.TestStores.books;
import static dev.etch.faults.TestStores.open;
import static dev.etch.faults.Waits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchListener;
import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.Library;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The group-commit log's close racing a failed fsync, and listeners that throw an
 * {@link Error} rather than a {@link RuntimeException}.
 */
class LogCloseAndListenerTest extends OnAFaultyDisk {

    /**
     * Immediate policy: writer W leads an fsync that fails while close() holds the writer lock
     * and waits for that fsync. W is told its write was rolled back; close() must not leave
     * W's bytes in the log, or the next open replays them.
     */
    @Test
    void aWriteRolledBackByAFailedFsyncDuringCloseIsNotReplayed() throws Exception {
        EtchStore<Library> store = open(dir, FlushPolicy.immediate());
        store.write(lib -> lib.books().put("a", book("a")));

        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        AtomicReference<Thread> closer = new AtomicReference<>();
        disk.on(FileOperation.FORCE, "wal*.bin").whileFailing(() -> {
            Thread t = new Thread(() -> {
                try {
                    store.close();
                } catch (Throwable e) {
                    closeFailure.set(e);
                }
            }, "closer");
            closer.set(t);
            t.start();
            // close() holds the writer lock and waits in the log's flush for this fsync
            awaitUntil(() -> t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("syncThrough")));
        }).once();

        assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("rolled back");
        closer.get().join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closer.get().isAlive()).as("close() still running 10 s later").isFalse();
        assertThat(closeFailure.get()).as("close() reports the failed fsync")
                .isInstanceOf(EtchStorageException.class);

        try (EtchStore<Library> reopened = open(dir, FlushPolicy.immediate())) {
            assertThat(books(reopened)).as("the write that failed as rolled back").containsExactly("a");
            reopened.write(lib -> lib.books().put("c", book("c")));
        }
        try (EtchStore<Library> again = open(dir, FlushPolicy.immediate())) {
            assertThat(books(again)).containsExactly("a", "c");
        }
    }

    /**
     * Immediate policy: a listener whose synced() throws an Error does not fail the write of
     * the leader, and does not strand the writer queued behind that fsync.
     */
    @Test
    void aListenerErrorInSyncedNeitherFailsTheWriteNorStrandsTheWritersBehindIt() throws Exception {
        AtomicBoolean throwOnce = new AtomicBoolean(true);
        EtchListener listener = syncedThrowsOnce(throwOnce, new AssertionError("listener bug"));
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.immediate()).listener(listener).open()) {
            AtomicReference<Thread> second = new AtomicReference<>();
            AtomicReference<CompletableFuture<Void>> secondWrite = new AtomicReference<>();
            disk.on(FileOperation.FORCE, "wal*.bin").intercepting(() -> {
                Thread t = startWriter(store, "b", secondWrite);
                second.set(t);
                // the second writer has appended and waits for an fsync behind this one
                awaitUntil(() -> Arrays.stream(t.getStackTrace())
                        .anyMatch(e -> e.getMethodName().equals("syncThrough"))
                        && t.getState() == Thread.State.WAITING);
            }).once();

            store.write(lib -> lib.books().put("a", book("a")));
            assertThat(throwOnce).as("the listener threw").isFalse();
            awaitWrite(secondWrite.get(), second.get());
            assertThat(books(store)).containsExactly("a", "b");
            store.write(lib -> lib.books().put("c", book("c")));
        }
        try (EtchStore<Library> reopened = open(dir, FlushPolicy.immediate())) {
            assertThat(books(reopened)).containsExactly("a", "b", "c");
        }
    }

    /**
     * Immediate policy: a listener whose logFailed() throws an Error does not replace the
     * storage failure the writers get, and strands none of them.
     */
    @Test
    void aListenerErrorInLogFailedStillFailsTheWritersWithTheStorageFailure() throws Exception {
        EtchListener listener = new EtchListener() {
            @Override
            public void logFailed(Throwable error) {
                throw new AssertionError("listener bug");
            }
        };
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.immediate()).listener(listener).open()) {
            store.write(lib -> lib.books().put("a", book("a")));
            AtomicReference<Thread> second = new AtomicReference<>();
            AtomicReference<CompletableFuture<Void>> secondWrite = new AtomicReference<>();
            disk.on(FileOperation.FORCE, "wal*.bin").whileFailing(() -> {
                Thread t = startWriter(store, "c", secondWrite);
                second.set(t);
                awaitUntil(() -> Arrays.stream(t.getStackTrace())
                        .anyMatch(e -> e.getMethodName().equals("syncThrough"))
                        && t.getState() == Thread.State.WAITING);
            }).once();

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("rolled back");
            try {
                secondWrite.get().get(10, TimeUnit.SECONDS);
                throw new AssertionError("the write queued behind the failed fsync succeeded");
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(EtchStorageException.class);
            } catch (TimeoutException e) {
                throw new AssertionError("the second write still hangs 10 s later: "
                        + Arrays.toString(second.get().getStackTrace()), e);
            }
            assertThat(books(store)).containsExactly("a");
            store.write(lib -> lib.books().put("d", book("d")));
        }
        try (EtchStore<Library> reopened = open(dir, FlushPolicy.immediate())) {
            assertThat(books(reopened)).containsExactly("a", "d");
        }
    }

    /** Grouped policy: a listener Error in synced() does not kill the flush thread. */
    @Test
    void aListenerErrorInSyncedDoesNotStopTheGroupedFlushThread() throws Exception {
        assertFlushThreadSurvives(new AssertionError("listener bug"));
    }

    /**
     * Grouped policy: a VirtualMachineError thrown by a listener is logged and ignored too; the
     * flush thread goes on syncing.
     */
    @Test
    void aVirtualMachineErrorFromTheListenerDoesNotStopTheGroupedFlushThread() throws Exception {
        assertFlushThreadSurvives(new OutOfMemoryError("simulated by a listener"));
    }

    /**
     * Immediate policy: a VirtualMachineError thrown by a listener does not report the durable
     * write as failed (a caller that retried would apply it twice).
     */
    @Test
    void aVirtualMachineErrorFromTheListenerDoesNotFailADurableWrite() throws Exception {
        AtomicBoolean throwOnce = new AtomicBoolean(true);
        EtchListener listener = syncedThrowsOnce(throwOnce, new OutOfMemoryError("simulated by a listener"));
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.immediate()).listener(listener).open()) {
            store.write(lib -> lib.books().put("a", book("a")));
            assertThat(throwOnce).as("the listener threw").isFalse();
            store.write(lib -> lib.books().put("b", book("b")));
            assertThat(books(store)).containsExactly("a", "b");
        }
        try (EtchStore<Library> reopened = open(dir, FlushPolicy.immediate())) {
            assertThat(books(reopened)).containsExactly("a", "b");
        }
    }

    /** A listener whose first synced() call throws {@code thrown}, clearing {@code throwOnce}. */
    private static EtchListener syncedThrowsOnce(AtomicBoolean throwOnce, Error thrown) {
        return new EtchListener() {
            @Override
            public void synced(Duration latency, long commits) {
                if (throwOnce.getAndSet(false)) {
                    throw thrown;
                }
            }
        };
    }

    private void assertFlushThreadSurvives(Error thrown) throws Exception {
        AtomicBoolean throwOnce = new AtomicBoolean(true);
        EtchListener listener = syncedThrowsOnce(throwOnce, thrown);
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.grouped(Duration.ofMillis(5))).listener(listener).open()) {
            store.write(lib -> lib.books().put("a", book("a")));
            awaitUntil(() -> !throwOnce.get());
            Thread.sleep(100);
            long fsyncs = store.stats().fsyncs();
            store.write(lib -> lib.books().put("b", book("b")));
            awaitUntil(() -> store.stats().fsyncs() > fsyncs);
            assertThat(store.stats().lastFlushError()).isEmpty();
        }
    }

    /** Starts a thread that writes one book; its outcome goes to {@code result}. */
    private static Thread startWriter(EtchStore<Library> store, String key,
            AtomicReference<CompletableFuture<Void>> result) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        result.set(outcome);
        Thread t = new Thread(() -> {
            try {
                store.write(lib -> lib.books().put(key, book(key)));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "writer-" + key);
        t.start();
        return t;
    }

    private static void awaitWrite(CompletableFuture<Void> write, Thread writer) throws Exception {
        try {
            write.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the second write still hangs 10 s later: "
                    + Arrays.toString(writer.getStackTrace()), e);
        }
    }

    /**
     * The engine's other listener calls follow the same rule: an Error from committed() or
     * snapshotWritten() neither fails the write or snapshot that already happened, nor the next.
     */
    @Test
    void aListenerErrorFromCommittedOrSnapshotWrittenFailsNothing() {
        EtchListener listener = new EtchListener() {
            @Override
            public void committed(Duration latency, int operations) {
                throw new AssertionError("listener bug in committed");
            }

            @Override
            public void snapshotWritten(Duration duration, long bytes, long records) {
                throw new NoClassDefFoundError("listener bug in snapshotWritten");
            }
        };
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0)
                .listener(listener).open()) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.snapshot();
            store.write(lib -> lib.books().put("b", book("b")));
            assertThat(store.stats().lastSnapshotAt()).isPresent();
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a", "b");
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
        }
    }
}
