package dev.etch.engine;

import dev.etch.EtchClosedException;
import dev.etch.EtchException;
import dev.etch.EtchListener;
import dev.etch.EtchStorageException;
import dev.etch.EtchStats;
import dev.etch.EtchStore;
import dev.etch.EtchTimeoutException;
import dev.etch.EtchTransaction;
import dev.etch.ReplayReport;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import dev.etch.wal.DataDirectory;
import dev.etch.wal.LockFile;
import dev.etch.wal.WalWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: one writer at a time, readers never blocked.
 *
 * <p>The write path: take the writer lock; run the user's function on a transaction over the
 * newest version ({@code head}); append its operations to the log; make the new version the
 * head; release the lock; wait for the log to acknowledge. Readers see {@code published}: the
 * newest version the flush policy lets them see (for the immediate policy, the newest durable
 * one, set by the log once the fsync that covers it returns). Versions are immutable
 * persistent maps, so publishing is one volatile write and a reader's snapshot never changes.
 *
 * @param <T> the state type
 */
public final class StoreEngine<T> implements EtchStore<T> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreEngine.class);

    private final StoreOptions<T> options;
    private final StateSchema<T> schema;
    private final CommitLog log;
    private final ReplayReport replayReport;
    private final AutoCloseable directoryLock;
    private final ReentrantLock writerLock = new ReentrantLock();

    /** What readers see; {@code null} once closed. */
    private volatile Version<T> published;
    /** The newest committed version, durable or not. Guarded by {@code writerLock}. */
    private Version<T> head;
    /** The thread inside a transaction, so that reads and writes on it join the transaction. */
    private volatile Thread writerThread;
    /** The transaction of {@code writerThread}. Guarded by {@code writerLock}. */
    private WriteTransaction<T> activeTx;
    /** Writes snapshots; {@code null} for an in-memory store. Set once, right after construction. */
    private Snapshotter<T> snapshotter;
    /** Written under the writer lock only; volatile for {@link #stats()}. */
    private volatile long commits;
    private volatile boolean closed;
    /** Whether commits are timed for a listener; off by default to keep the write path lean. */
    private final boolean timed;

    private StoreEngine(StoreOptions<T> options, StateSchema<T> schema, Version<T> initial,
            BiFunction<StoreEngine<T>, Consumer<Object>, CommitLog> logFactory, ReplayReport replayReport,
            AutoCloseable directoryLock) {
        this.options = options;
        this.schema = schema;
        this.replayReport = replayReport;
        this.directoryLock = directoryLock;
        this.head = initial;
        this.published = initial;
        this.timed = options.listener() != EtchListener.NONE;
        this.log = logFactory.apply(this, this::onDurable);
    }

    /**
     * Opens a store with the given options.
     *
     * @param options the fixed settings
     * @param <T> the state type
     * @return the open store
     */
    public static <T> EtchStore<T> open(StoreOptions<T> options) {
        StateSchema<T> schema = StateSchema.of(options.stateType(), options.valueCodec());
        if (options.directory().isEmpty()) {
            Object[] maps = schema.emptyMaps();
            return new StoreEngine<>(options, schema, new Version<>(schema.newState(maps), maps),
                    (self, onDurable) -> new MemoryLog(), ReplayReport.empty(), () -> { });
        }
        DataDirectory directory = DataDirectory.create(options.directory().get());
        LockFile lock = LockFile.acquire(directory.root());
        try {
            Recovery.Result<T> recovered = new Recovery<>(schema, options.valueCodec(), directory,
                    options.strictRecovery()).run();
            WalWriter writer;
            try {
                writer = WalWriter.open(directory, recovered.generation(), recovered.scan());
            } catch (IOException e) {
                throw new EtchStorageException("Cannot open the log " + directory.segment(recovered.generation())
                        + " for writing: " + e, e);
            }
            String name = directory.root().getFileName().toString();
            StoreEngine<T> engine = new StoreEngine<>(options, schema, recovered.version(),
                    (self, onDurable) -> new GroupCommitLog(writer, options.flushPolicy(),
                            recovered.scan().entries(), onDurable, options.listener(), self::queuedWriters, name),
                    recovered.report(), lock);
            engine.snapshotter = new Snapshotter<>(directory, schema, options, recovered.generation(),
                    recovered.newestCover(), recovered.previousCover(), recovered.newestUnusable(),
                    recovered.version().records(), engine::rotateLog, engine::closedException);
            LOG.info("Opened {} in {} ms: {}", directory.root(), recovered.report().duration().toMillis(),
                    recovered.report());
            return engine;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** Threads holding or waiting for the writer lock (an estimate, for group commit). */
    private int queuedWriters() {
        return writerLock.getQueueLength() + (writerLock.isLocked() ? 1 : 0);
    }

    /** Switches the log to a new segment and returns the version it starts from. */
    private Version<T> rotateLog(WalWriter next) {
        writerLock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            ((GroupCommitLog) log).rotate(next);
            return head;
        } finally {
            writerLock.unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public T read() {
        if (writerThread == Thread.currentThread()) {
            return activeTx.toVersion().state();
        }
        Version<T> version = published;
        if (version == null) {
            throw closedException();
        }
        return version.state();
    }

    @Override
    public <R> R read(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return fn.apply(read());
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void write(Consumer<? super T> fn) {
        Objects.requireNonNull(fn, "fn");
        run(state -> {
            fn.accept(state);
            return null;
        }, false);
    }

    @Override
    public void writeDurable(Consumer<? super T> fn) {
        Objects.requireNonNull(fn, "fn");
        run(state -> {
            fn.accept(state);
            return null;
        }, true);
    }

    @Override
    public <R> R writeAndGet(Function<? super T, ? extends R> fn) {
        return run(Objects.requireNonNull(fn, "fn"), false);
    }

    /** The write path: gate, transaction view, user function, log, head; then wait outside the lock. */
    private <R> R run(Function<? super T, ? extends R> fn, boolean durable) {
        if (writerThread == Thread.currentThread()) {
            return joinActive(fn, durable);
        }
        long started = timed ? System.nanoTime() : 0;
        lockForWrite();
        R result;
        CommitLog.Commit commit;
        boolean force;
        int operations;
        try {
            WriteTransaction<T> tx = beginLocked();
            try {
                result = fn.apply(tx.view());
            } finally {
                endLocked();
            }
            commit = commitLocked(tx);
            force = durable || tx.durableRequested();
            operations = tx.ops().size();
        } finally {
            writerLock.unlock();
        }
        awaitAcknowledged(commit, force);
        if (timed && operations > 0) {
            notifyCommitted(started, operations);
        }
        return result;
    }

    private void notifyCommitted(long startedNanos, int operations) {
        // Never throws: the listener is a Listeners (see there).
        options.listener().committed(Duration.ofNanos(System.nanoTime() - startedNanos), operations);
    }

    /**
     * A write nested in a transaction on the same thread joins it. A joined write has no
     * savepoint, so if it throws, the changes it made before throwing cannot be told apart:
     * the whole transaction becomes rollback-only, even if the outer code catches the
     * exception, and its commit fails.
     */
    private <R> R joinActive(Function<? super T, ? extends R> fn, boolean durable) {
        WriteTransaction<T> tx = activeTx;
        if (durable) {
            tx.requireDurable();
        }
        try {
            return fn.apply(tx.view());
        } catch (RuntimeException | Error e) {
            tx.markRollbackOnly(e);
            throw e;
        }
    }

    private void awaitAcknowledged(CommitLog.Commit commit, boolean force) {
        try {
            log.await(commit, force);
        } catch (EtchStorageException e) {
            writerLock.lock();
            try {
                rollBackToDurableLocked();
            } finally {
                writerLock.unlock();
            }
            throw e;
        }
    }

    /** After the log lost commits it could not make durable, the head forgets them too. */
    private void rollBackToDurableLocked() {
        if (log.discardUndurable()) {
            head = published;
        }
    }

    @Override
    public EtchTransaction<T> begin() {
        checkNotInTransaction();
        long started = timed ? System.nanoTime() : 0;
        lockForWrite();
        return beginHandle(started);
    }

    @Override
    public EtchTransaction<T> begin(Duration maxWait) {
        if (Objects.requireNonNull(maxWait, "maxWait").isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
        checkNotInTransaction();
        long started = timed ? System.nanoTime() : 0;
        boolean locked;
        try {
            locked = writerLock.tryLock(saturatedNanos(maxWait), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtchException("Interrupted while waiting for the writer lock of " + this
                    + "; no transaction was started.", e);
        }
        if (!locked) {
            throw new EtchTimeoutException("Waited " + maxWait + " for the writer lock of " + this + ", which another"
                    + " transaction held all that time; no transaction was started. Retry, or wait longer.");
        }
        checkOpenLocked();
        return beginHandle(started);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private void checkNotInTransaction() {
        if (writerThread == Thread.currentThread()) {
            throw new IllegalStateException("This thread is already inside a transaction of this store; nested"
                    + " writes join it, so call write(...) instead of begin().");
        }
    }

    /** Under the writer lock, taken by the caller: the handle, or the lock released on failure. */
    private EtchTransaction<T> beginHandle(long started) {
        try {
            return new Handle(beginLocked(), started);
        } catch (RuntimeException | Error e) {
            writerLock.unlock();
            throw e;
        }
    }

    private void lockForWrite() {
        writerLock.lock();
        checkOpenLocked();
    }

    /** Under the writer lock: releases it and throws if the store was closed meanwhile. */
    private void checkOpenLocked() {
        if (closed) {
            writerLock.unlock();
            throw closedException();
        }
    }

    private WriteTransaction<T> beginLocked() {
        WriteTransaction<T> tx = new WriteTransaction<>(schema, head);
        activeTx = tx;
        writerThread = Thread.currentThread();
        return tx;
    }

    private void endLocked() {
        if (activeTx != null) {
            activeTx.end();
        }
        writerThread = null;
        activeTx = null;
    }

    /** Appends the transaction and makes it the head; nothing is changed if the append fails. */
    private CommitLog.Commit commitLocked(WriteTransaction<T> tx) {
        if (tx.rollbackOnlyCause() != null) {
            throw new EtchException("A write nested in this transaction failed, so the whole transaction was rolled"
                    + " back: nothing was committed. Let the nested write's exception propagate, or do not start"
                    + " the nested write when it is expected to fail.", tx.rollbackOnlyCause());
        }
        if (tx.ops().isEmpty()) {
            return CommitLog.Commit.DONE;
        }
        Version<T> next = tx.toVersion();
        CommitLog.Commit commit;
        try {
            commit = log.append(tx.ops(), next);
        } catch (EtchStorageException e) {
            rollBackToDurableLocked();
            throw e;
        }
        head = next;
        commits++;
        if (log.acknowledgesOnAppend()) {
            published = next;
        }
        if (snapshotter != null) {
            snapshotter.maybeRequest(log.entriesSinceSnapshot(), log.bytes());
        }
        return commit;
    }

    /** Called by the log, in commit order, once a commit is durable (immediate policy). */
    @SuppressWarnings("unchecked")
    void onDurable(Object version) {
        if (!closed) {
            published = (Version<T>) version;
        }
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public void flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            throw closedException();
        }
        log.flush(timeout);
    }

    @Override
    public void snapshot() {
        if (closed) {
            throw closedException();
        }
        if (writerThread == Thread.currentThread()) {
            throw new IllegalStateException("snapshot() called inside a transaction of this store; call it after"
                    + " the transaction ends");
        }
        if (snapshotter != null) {
            snapshotter.snapshot();
        }
    }

    @Override
    public Optional<java.nio.file.Path> directory() {
        return options.directory();
    }

    @Override
    public EtchStats stats() {
        Version<T> version = published;
        List<EtchStats.CollectionStats> sizes = new ArrayList<>();
        for (CollectionSchema<?, ?> c : schema.collections()) {
            int size = version == null ? 0 : ((Map<?, ?>) version.maps()[c.index()]).size();
            sizes.add(new EtchStats.CollectionStats(c.id(), c.name(), size));
        }
        sizes.sort((a, b) -> Integer.compare(a.id(), b.id()));
        Optional<Throwable> error = log.lastError();
        if (error.isEmpty() && snapshotter != null) {
            error = snapshotter.lastError();
        }
        return new EtchStats(commits, sizes, log.bytes(), log.entriesSinceSnapshot(), log.fsyncs(),
                snapshotter == null ? Optional.empty() : snapshotter.lastSnapshotAt(), error);
    }

    @Override
    public ReplayReport replayReport() {
        return replayReport;
    }

    @Override
    public Class<T> stateType() {
        return schema.type();
    }

    @Override
    public void close() {
        if (writerThread == Thread.currentThread()) {
            throw new IllegalStateException("close() called inside a transaction of this store; finish the"
                    + " transaction first");
        }
        if (snapshotter != null) {
            snapshotter.close();
        }
        writerLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            published = null;
            try {
                log.close();
            } finally {
                closeLock();
            }
        } finally {
            writerLock.unlock();
        }
    }

    private void closeLock() {
        try {
            directoryLock.close();
        } catch (Exception e) {
            throw new EtchStorageException("Cannot release the lock of " + options.directory().orElse(null) + ": " + e, e);
        }
    }

    private EtchClosedException closedException() {
        return new EtchClosedException("The store of " + schema.type().getSimpleName()
                + options.directory().map(d -> " in " + d).orElse(" (in memory)") + " is closed; open it again.");
    }

    @Override
    public String toString() {
        return "EtchStore[" + schema.type().getSimpleName() + ", "
                + options.directory().map(Object::toString).orElse("in memory") + ", " + options.flushPolicy() + "]";
    }

    /** The programmatic transaction returned by {@link #begin()}. */
    private final class Handle implements EtchTransaction<T> {
        private final Thread owner = Thread.currentThread();
        private final long started;
        private WriteTransaction<T> tx;

        Handle(WriteTransaction<T> tx, long started) {
            this.tx = tx;
            this.started = started;
        }

        @Override
        public T state() {
            checkOwner();
            return tx.view();
        }

        @Override
        public void commit() {
            checkOwner();
            WriteTransaction<T> finishing = tx;
            tx = null;
            CommitLog.Commit commit;
            try {
                endLocked();
                commit = commitLocked(finishing);
            } finally {
                writerLock.unlock();
            }
            awaitAcknowledged(commit, finishing.durableRequested());
            if (timed && !finishing.ops().isEmpty()) {
                notifyCommitted(started, finishing.ops().size());
            }
        }

        @Override
        public void rollback() {
            if (tx == null) {
                return;
            }
            checkOwner();
            tx = null;
            endLocked();
            writerLock.unlock();
        }

        @Override
        public boolean isActive() {
            return tx != null;
        }

        @Override
        public boolean isRollbackOnly() {
            WriteTransaction<T> active = tx;
            return active != null && active.rollbackOnlyCause() != null;
        }

        @Override
        public void close() {
            rollback();
        }

        private void checkOwner() {
            if (tx == null) {
                throw new IllegalStateException("The transaction has already been committed or rolled back.");
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("A transaction belongs to the thread that began it (" + owner.getName()
                        + "); it was used from " + Thread.currentThread().getName() + ".");
            }
        }
    }
}
