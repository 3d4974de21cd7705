package dev.etch.engine;

import dev.etch.EtchException;
import dev.etch.EtchListener;
import dev.etch.EtchStorageException;
import dev.etch.EtchTimeoutException;
import dev.etch.FlushPolicy;
import dev.etch.codec.postcard.PostcardOutput;
import dev.etch.wal.Op;
import dev.etch.wal.WalFormat;
import dev.etch.wal.WalWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of a directory with group commit.
 *
 * <p><b>Group commit.</b> Appends happen under the store's writer lock; waiting for the fsync
 * does not. A thread that needs its commit durable either finds it already covered by an
 * fsync that finished, or waits while another thread's fsync runs, or becomes the leader: it
 * takes the end of everything appended so far as its target, fsyncs once, and so makes every
 * commit up to the target durable together. Each waiter returns only when its own commit is
 * covered. Waiters park on their own; a leader unparks exactly the waiters its fsync covered,
 * and the first one it did not, to lead the next fsync. (Waiting on the monitor instead made
 * {@code notifyAll} hand the monitor from one woken thread to the next, so every fsync woke
 * all waiters one by one, and those not covered went back to sleep.)
 *
 * <p><b>Publication.</b> Under the immediate policy a commit becomes visible to readers only
 * once durable: the leader hands the newest covered state to the engine, in log order, before
 * it wakes the waiters.
 *
 * <p><b>Failures.</b> An append that cannot be written is cut back and fails alone (the
 * store goes on). Under the immediate policy, an fsync that fails fails every commit it would
 * have covered and every commit appended after them (they were built on them); the engine then
 * cuts the log back to the last durable entry and rolls its state back to the published one,
 * so nothing the log cannot prove durable is ever visible or replayed. A close that finds such
 * a failure makes the same cut before it closes the file (the writers it failed no longer can),
 * and still reports the failure. If that cut fails too, the log refuses all further writes until
 * the store is reopened. Under the grouped and unsynced policies, writes were already
 * acknowledged; a failed background fsync is kept in {@link #lastError()} and retried, and
 * {@code flush()} and {@code writeDurable} fail until a retry succeeds.
 *
 * <p><b>Listeners.</b> The {@link EtchListener} is called only after the log's state is updated
 * and the waiters of the fsync are woken, outside the monitor; whatever it throws is logged and
 * ignored (see {@link Listeners}), so it can neither fail a write nor strand a writer
 * nor stop the flush thread.
 */
final class GroupCommitLog implements CommitLog {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitLog.class);
    private static final long MAX_GATHER_NANOS = 1_000_000;
    private static final long GATHER_STEP_NANOS = 20_000;
    /**
     * Acknowledged but unsynced bytes held for retries: past it the unsynced policy syncs once,
     * and, while fsync keeps failing, writes are refused.
     */
    static final long MAX_UNSYNCED_BYTES = 64L << 20;
    private static final int INITIAL_BUFFER = 4096;
    /** How long a rotation or close waits for the log to sync. */
    private static final Duration SWITCH_SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** Past this capacity, the encoding buffer is replaced after its entry is written. */
    private static final int RETAINED_BUFFER = 16 << 20;

    /** The current segment. Replaced only by {@link #rotate}, under the writer lock and the monitor. */
    private volatile WalWriter writer;
    private final boolean publishOnDurable;
    private final Consumer<Object> onDurable;
    private final EtchListener listener;
    /** Reused encoding buffer; touched only by the appending thread, under the writer lock. */
    private PostcardOutput buffer = new PostcardOutput(INITIAL_BUFFER);

    private final Object monitor = new Object();
    /** Appended, not yet durable, in log order (immediate policy only). Guarded by monitor. */
    private final ArrayDeque<Commit> pending = new ArrayDeque<>();
    /** Guarded by monitor. */
    private long appendedSequence;
    /** Guarded by monitor. */
    private long appendedEnd;
    /** Guarded by monitor. */
    private long durableSequence;
    /** Guarded by monitor. */
    private long durableEnd;
    /** Guarded by monitor: a leader is in fsync. */
    private boolean syncing;
    /** Threads parked until an fsync covers their commit, in arrival order. Guarded by monitor. */
    private final List<Waiter> waiters = new ArrayList<>();
    /**
     * Grouped and unsynced policies: the entries appended since the last successful fsync,
     * kept so that a failed fsync can be retried by writing them again (after a failed fsync
     * the kernel may have dropped the dirty pages, so retrying the fsync alone proves
     * nothing). Guarded by monitor.
     */
    private final ArrayDeque<Unsynced> unsynced = new ArrayDeque<>();
    /** Bytes held in {@link #unsynced}. Guarded by monitor. */
    private long unsyncedBytes;
    /**
     * Grouped policy: the flush thread found nothing to sync and sleeps until the next append
     * wakes it, instead of waking every interval for nothing. Guarded by monitor.
     */
    private boolean flusherIdle;
    /** The unresolved failure; guarded by monitor, volatile for stats. */
    private volatile Throwable failure;
    /** The log cannot be trusted any more: refuse everything until reopened. */
    private volatile boolean broken;

    private volatile long entriesSinceSnapshot;
    /** How long the last fsync took, to bound how long a leader gathers writers. */
    private volatile long lastFsyncNanos;
    /** Writers holding or queued for the store's writer lock: they are about to append. */
    private final IntSupplier queuedWriters;
    private volatile long fsyncs;
    private volatile boolean closed;
    private final Thread background;

    GroupCommitLog(WalWriter writer, FlushPolicy policy, long entriesSinceSnapshot, Consumer<Object> onDurable,
            EtchListener listener, IntSupplier queuedWriters, String storeName) {
        this.writer = writer;
        this.queuedWriters = queuedWriters;
        this.listener = listener;
        this.publishOnDurable = policy instanceof FlushPolicy.Immediate;
        this.onDurable = onDurable;
        this.entriesSinceSnapshot = entriesSinceSnapshot;
        this.appendedEnd = writer.end();
        this.durableEnd = writer.end();
        if (policy instanceof FlushPolicy.Grouped grouped) {
            background = new Thread(() -> syncPeriodically(grouped.interval()), "etch-flush-" + storeName);
            background.setDaemon(true);
            background.start();
        } else {
            background = null;
        }
    }

    @Override
    public Commit append(List<Op> ops, Object state) {
        if (broken) {
            throw brokenException();
        }
        if (publishOnDurable && failure != null) {
            throw new EtchStorageException("An earlier fsync of " + writer.file() + " failed; this transaction was"
                    + " built on commits that were not durable and has been discarded. Retry it.", failure);
        }
        if (!publishOnDurable && failure != null && unsyncedBytes() > MAX_UNSYNCED_BYTES) {
            throw new EtchStorageException("The log " + writer.file() + " holds " + unsyncedBytes() + " bytes of"
                    + " acknowledged entries that could not be synced because fsync keeps failing; writes are refused"
                    + " until a sync succeeds (those entries are kept in memory and retried).", failure);
        }
        try {
            return appendEntry(ops, state);
        } catch (WalFormat.EntryTooLargeException e) {
            throw new EtchException("This transaction would be a log entry of " + e.entrySize() + " bytes ("
                    + ops.size() + " operations); one entry holds at most " + WalFormat.MAX_PAYLOAD_SIZE + " bytes"
                    + " of operations (etchdb's format frames an entry with a 32-bit length). Nothing was written or"
                    + " applied; split the work into several transactions.", e);
        } finally {
            if (buffer.array().length > RETAINED_BUFFER) {
                buffer = new PostcardOutput(INITIAL_BUFFER); // one large transaction must not keep its memory
            }
        }
    }

    private Commit appendEntry(List<Op> ops, Object state) {
        buffer.reset();
        WalFormat.appendEntry(ops, buffer);
        long end;
        try {
            end = writer.append(buffer);
        } catch (WalWriter.AppendFailedException e) {
            if (!e.logIntact()) {
                broken = true;
                failure = e;
                throw brokenException();
            }
            throw new EtchStorageException(e.getMessage() + ". Nothing of this transaction was written or applied;"
                    + " the store goes on accepting writes.", e.getCause());
        }
        entriesSinceSnapshot++;
        CrashPoint.AFTER_APPEND.hit();
        Commit commit;
        boolean boundUnsynced;
        synchronized (monitor) {
            commit = new Commit(++appendedSequence, state);
            appendedEnd = end;
            if (flusherIdle) {
                flusherIdle = false;
                LockSupport.unpark(background);
            }
            if (publishOnDurable) {
                pending.addLast(commit);
            } else {
                unsynced.addLast(new Unsynced(end - buffer.size(), buffer.toByteArray()));
                unsyncedBytes += buffer.size();
            }
            boundUnsynced = !publishOnDurable && failure == null && unsyncedBytes > MAX_UNSYNCED_BYTES;
            if (!boundUnsynced) {
                return commit;
            }
        }
        // The unsynced policy never syncs on its own; the copies kept for a retry must not grow
        // without bound, so past the bound it syncs once. More durability than asked for, never less.
        try {
            syncThrough(null, commit.sequence(), Long.MAX_VALUE);
        } catch (EtchStorageException e) {
            // Acknowledged already; the failure is in lastError() and the next sync retries.
        }
        return commit;
    }

    @Override
    public boolean acknowledgesOnAppend() {
        return !publishOnDurable;
    }

    @Override
    public void await(Commit commit, boolean force) {
        if (commit == Commit.DONE || !(publishOnDurable || force)) {
            return;
        }
        syncThrough(commit, commit.sequence(), Long.MAX_VALUE);
    }

    @Override
    public void flush(Duration timeout) {
        long target;
        synchronized (monitor) {
            target = appendedSequence;
        }
        syncThrough(null, target, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Returns once every commit up to {@code sequence} is durable, fsyncing as the leader when
     * no other thread is. A commit that a failed fsync abandoned fails, even if later commits
     * with higher sequences become durable after the log was cut back.
     */
    private void syncThrough(Commit commit, long sequence, long deadlineNanos) {
        boolean interrupted = false;
        Waiter waiter = null;
        try {
            long target;
            long targetEnd;
            WalWriter segment;
            List<Unsynced> retry;
            while (true) {
                long parkNanos;
                synchronized (monitor) {
                    if (commit != null && commit.failure() != null) {
                        leave(waiter);
                        throw new EtchStorageException("Could not fsync " + writer.file() + ": "
                                + commit.failure().getMessage() + ". The transaction is not durable and was rolled back"
                                + " (with every commit after the last durable one).", commit.failure());
                    }
                    if (durableSequence >= sequence) {
                        leave(waiter);
                        return;
                    }
                    if (broken) {
                        leave(waiter);
                        throw brokenException();
                    }
                    if (failure != null && publishOnDurable) {
                        leave(waiter);
                        throw new EtchStorageException("Could not fsync " + writer.file() + "; the transaction is not"
                                + " durable and was rolled back (with every commit after the last durable one).",
                                failure);
                    }
                    if (!syncing) {
                        leave(waiter);
                        syncing = true;
                        break;
                    }
                    parkNanos = remainingNanos(deadlineNanos);
                    if (parkNanos <= 0) {
                        leave(waiter);
                        throw syncTimedOut();
                    }
                    if (waiter == null) {
                        waiter = new Waiter(sequence);
                    }
                    if (!waiter.queued) {
                        waiter.queued = true;
                        waiters.add(waiter);
                    }
                }
                // Parked outside the monitor: the leader wakes exactly the waiters its fsync
                // covered (and one more to lead the next fsync), all at once, instead of
                // handing the monitor from one woken thread to the next.
                if (parkNanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, parkNanos);
                }
                // Not interruptible (see waitOn): the flag is cleared so that park blocks
                // again, and handed back at the end.
                interrupted |= Thread.interrupted();
            }
            gatherQueuedWriters();
            synchronized (monitor) {
                target = appendedSequence;
                targetEnd = appendedEnd;
                segment = writer;
                retry = failure != null && !publishOnDurable ? List.copyOf(unsynced) : List.of();
            }
            IOException error = null;
            long started = System.nanoTime();
            try {
                for (Unsynced entry : retry) {
                    segment.rewrite(entry.offset(), entry.bytes());
                }
                segment.force();
                fsyncs++;
            } catch (IOException e) {
                error = e;
            }
            long took = System.nanoTime() - started;
            lastFsyncNanos = took;
            List<Waiter> wake;
            long syncedCommits = 0;
            if (error == null) {
                CrashPoint.AFTER_FSYNC.hit();
            }
            synchronized (monitor) {
                syncing = false;
                if (error == null) {
                    syncedCommits = target - durableSequence;
                    durableSequence = target;
                    durableEnd = targetEnd;
                    while (!unsynced.isEmpty() && unsynced.peekFirst().offset() < targetEnd) {
                        unsyncedBytes -= unsynced.pollFirst().bytes().length;
                    }
                    if (!publishOnDurable) {
                        failure = null;
                    }
                    Object newest = null;
                    while (!pending.isEmpty() && pending.peekFirst().sequence() <= target) {
                        newest = pending.pollFirst().state();
                    }
                    if (newest != null) {
                        onDurable.accept(newest);
                    }
                    wake = wakeCovered(target);
                } else {
                    failure = error;
                    for (Commit abandoned : pending) {
                        abandoned.fail(error);
                    }
                    pending.clear();
                    log.error("fsync of {} failed; commits after offset {} are not durable", writer.file(), durableEnd,
                            error);
                    wake = wakeAll();
                }
                monitor.notifyAll();
            }
            for (Waiter woken : wake) {
                LockSupport.unpark(woken.thread);
            }
            // Only now, with the log's state updated and its waiters woken: whatever the
            // listener does, no writer is left parked behind this fsync.
            if (error == null) {
                listener.synced(Duration.ofNanos(took), syncedCommits);
            } else {
                listener.logFailed(error);
            }
            if (error != null) {
                throw new EtchStorageException("Could not fsync " + writer.file() + ": " + error.getMessage()
                        + (publishOnDurable ? ". The transaction is not durable and was rolled back (with every commit"
                                + " after the last durable one)." : ". Acknowledged writes are not yet durable; the sync"
                                + " is retried."), error);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Takes the waiters an fsync through {@code target} covered off the queue, and the first
     * one it did not cover, which leads the next fsync. Under the monitor; the caller unparks
     * them after leaving it.
     */
    private List<Waiter> wakeCovered(long target) {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Waiter> wake = new ArrayList<>(waiters.size());
        boolean leaderChosen = false;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            if (waiter.sequence <= target || !leaderChosen) {
                leaderChosen |= waiter.sequence > target;
                waiter.queued = false;
                it.remove();
                wake.add(waiter);
            }
        }
        return wake;
    }

    /** Takes every waiter off the queue, to see a failure. Under the monitor. */
    private List<Waiter> wakeAll() {
        List<Waiter> wake = new ArrayList<>(waiters);
        for (Waiter waiter : wake) {
            waiter.queued = false;
        }
        waiters.clear();
        return wake;
    }

    /** A waiter that returns or leads takes itself off the queue. Under the monitor. */
    private void leave(Waiter waiter) {
        if (waiter != null && waiter.queued) {
            waiter.queued = false;
            waiters.remove(waiter);
        }
    }

    /**
     * Syncs everything appended before the segment is switched or closed. An fsync still running
     * after {@link #SWITCH_SYNC_TIMEOUT} means the disk is not keeping up: a storage failure for
     * the rotation or close that needed it.
     */
    private void syncBeforeSwitching(String consequence) {
        try {
            flush(SWITCH_SYNC_TIMEOUT);
        } catch (EtchTimeoutException e) {
            throw new EtchStorageException("The log " + writer.file() + " did not sync within " + SWITCH_SYNC_TIMEOUT
                    .toSeconds() + " s; " + consequence + ".", e);
        }
    }

    /**
     * A wait for durability ran out of time. The writes stay acknowledged and the sync that
     * covers them goes on: running out of time loses nothing.
     */
    private EtchTimeoutException syncTimedOut() {
        return new EtchTimeoutException("Timed out waiting for the log " + writer.file() + " to sync (an fsync was"
                + " still running). Nothing is lost by the timeout: acknowledged writes stay acknowledged and the sync"
                + " goes on. Call flush again, or with a longer timeout.");
    }

    private static long remainingNanos(long deadlineNanos) {
        return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
    }

    /** A thread parked until the commits through {@link #sequence} are durable. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long sequence;
        /** In {@link #waiters}; guarded by the monitor. */
        boolean queued;

        Waiter(long sequence) {
            this.sequence = sequence;
        }
    }

    private long unsyncedBytes() {
        synchronized (monitor) {
            return unsyncedBytes;
        }
    }

    /** An entry written but not yet covered by a successful fsync, kept for a retry. */
    private record Unsynced(long offset, byte[] bytes) {}

    /**
     * Group commit's one tuning: a new leader whose fsync would leave writers that are already
     * queued for the writer lock to the next fsync waits for them to append first, for at
     * most half the last fsync's duration (capped at 1 ms). A lone writer never waits.
     */
    private void gatherQueuedWriters() {
        if (!publishOnDurable) {
            return;
        }
        long budget = Math.min(lastFsyncNanos / 2, MAX_GATHER_NANOS);
        long deadline = System.nanoTime() + budget;
        while (queuedWriters.getAsInt() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(GATHER_STEP_NANOS);
        }
    }

    /**
     * Waits on the monitor until notified or the deadline. Not interruptible: a commit that is
     * in the log becomes durable (or fails) whatever happens to the thread waiting for it, so
     * the wait goes on and the interrupt is handed back by the caller afterwards.
     *
     * @return whether the thread was interrupted meanwhile
     */
    private boolean waitOn(long deadlineNanos) {
        try {
            if (deadlineNanos == Long.MAX_VALUE) {
                monitor.wait();
                return false;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw syncTimedOut();
            }
            monitor.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /**
     * After a failed fsync under the immediate policy, cuts the log back to the last durable
     * entry. Called by the engine under its writer lock, so no append runs meanwhile.
     *
     * @return {@code true} if commits were discarded and the engine must roll its head back
     */
    @Override
    public boolean discardUndurable() {
        synchronized (monitor) {
            if (!publishOnDurable || failure == null || broken) {
                return false;
            }
            boolean interrupted = false;
            while (syncing) {
                interrupted |= waitOn(Long.MAX_VALUE);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            // A commit whose append raced with the failed fsync was queued after the failure
            // failed the queue; it is built on the discarded commits and its bytes are cut off
            // below, so it fails too (else a later fsync would publish and acknowledge it).
            for (Commit abandoned : pending) {
                abandoned.fail(failure);
            }
            pending.clear();
            monitor.notifyAll();
            for (Waiter woken : wakeAll()) {
                LockSupport.unpark(woken.thread);
            }
            try {
                writer.truncate(durableEnd);
                appendedEnd = durableEnd;
                failure = null;
                log.warn("Cut log {} back to its last durable entry at offset {}", writer.file(), durableEnd);
            } catch (IOException e) {
                broken = true;
                failure = e;
                log.error("Cannot cut log {} back to offset {}; refusing writes until reopened", writer.file(),
                        durableEnd, e);
            }
            return true;
        }
    }

    /**
     * Continues the log in a new segment: makes everything appended to the current one
     * durable, then appends go to {@code next}. Called under the store's writer lock, so no
     * append runs meanwhile.
     *
     * @param next a new, durable, empty segment
     * @throws EtchStorageException if the current segment cannot be synced; the log stays in it
     */
    void rotate(WalWriter next) {
        syncBeforeSwitching("the log stays in " + writer.file().getFileName() + " and no snapshot is written");
        WalWriter previous;
        synchronized (monitor) {
            boolean interrupted = false;
            while (syncing) {
                interrupted |= waitOn(Long.MAX_VALUE);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            previous = writer;
            writer = next;
            unsynced.clear();
            unsyncedBytes = 0;
            appendedEnd = next.end();
            durableEnd = next.end();
            entriesSinceSnapshot = 0;
        }
        try {
            previous.close();
        } catch (IOException e) {
            log.warn("Cannot close the previous log segment {}: {}", previous.file(), e.toString());
        }
    }

    private EtchStorageException brokenException() {
        return new EtchStorageException("The log " + writer.file() + " failed and could not be repaired in place;"
                + " the store refuses writes until it is reopened (reopening replays the log and keeps every"
                + " durable commit).", failure);
    }

    private void syncPeriodically(Duration interval) {
        long sleepNanos = interval.toNanos();
        while (!closed) {
            // Parked, never interrupted: an interrupt during force() would close the log's
            // FileChannel (it is interruptible) under every later append and under close().
            LockSupport.parkNanos(this, sleepNanos);
            if (closed) {
                return;
            }
            try {
                long target;
                synchronized (monitor) {
                    target = appendedSequence;
                }
                if (target > durableSequence) {
                    syncThrough(null, target, Long.MAX_VALUE);
                }
            } catch (RuntimeException e) {
                // Kept in lastError(); retried on the next tick.
            } catch (Error e) {
                // The flush thread's own (listeners' errors never get here, see Listeners), such as
                // running out of memory. The thread must not die: without it no background fsync
                // ever runs again and acknowledged writes silently stay volatile.
                log.error("The flush thread of {} caught an error; it goes on syncing", writer.file(), e);
            }
            awaitAppendWhenIdle();
        }
    }

    /**
     * With everything appended durable and no failed sync to retry, parks until an append (or
     * close) wakes it: an idle store's flush thread costs nothing. The append that wakes it
     * is then synced within the interval, as every other.
     */
    private void awaitAppendWhenIdle() {
        synchronized (monitor) {
            flusherIdle = appendedSequence == durableSequence && failure == null;
        }
        while (!closed) {
            synchronized (monitor) {
                if (!flusherIdle) {
                    return;
                }
            }
            LockSupport.park(this);
        }
    }

    @Override
    public long bytes() {
        return writer.end();
    }

    @Override
    public long entriesSinceSnapshot() {
        return entriesSinceSnapshot;
    }

    @Override
    public long fsyncs() {
        return fsyncs;
    }

    @Override
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (background != null) {
            LockSupport.unpark(background);
            try {
                background.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EtchStorageException flushFailure = null;
        if (!broken) {
            try {
                syncBeforeSwitching("writes since the last sync may not be durable");
            } catch (EtchStorageException e) {
                flushFailure = e;
                // Immediate policy: the failed fsync rolled back every commit after the last
                // durable one, and their writers were (or will be) told so. Their bytes must go
                // before the file is closed: closing keeps everything up to the writer's end, and
                // the writer that would cut them back can no longer once the file is closed, so
                // they would be replayed on the next open. Called under the store's writer lock,
                // as discardUndurable requires; a no-op unless an fsync failed under that policy.
                discardUndurable();
            }
        }
        try {
            writer.close();
        } catch (IOException e) {
            if (flushFailure == null) {
                flushFailure = new EtchStorageException("Cannot close " + writer.file() + ": " + e.getMessage(), e);
            }
        }
        if (flushFailure != null) {
            throw flushFailure;
        }
    }
}
