package dev.etch.engine;

import dev.etch.EtchListener;
import dev.etch.EtchStorageException;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import dev.etch.snapshot.SnapshotWriter;
import dev.etch.wal.DataDirectory;
import dev.etch.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes snapshots and retires the logs they cover, in an order that survives a crash at any
 * point:
 *
 * <ol>
 *   <li>create the next log segment with its header, fsync it and the directory (no lock
 *       held);</li>
 *   <li>under the writer lock, briefly: make the current segment durable, switch appends to
 *       the new one, and take the head version, which is exactly the state the new segment
 *       starts from;</li>
 *   <li>write that immutable version to {@code snapshot.tmp} and fsync it, while writers go on
 *       into the new segment and readers are never blocked;</li>
 *   <li>rename the current snapshot to {@code snapshot.prev}, {@code snapshot.tmp} to
 *       {@code snapshot.postcard}, fsync the directory;</li>
 *   <li>only then delete the segments that even the previous snapshot covers, so a damaged
 *       newest snapshot can still fall back to the previous one plus its logs.</li>
 * </ol>
 *
 * <p>One snapshot runs at a time. Automatic snapshots run on a background thread; a failed
 * one leaves the previous snapshot and every log in place and is retried at the next
 * trigger.
 *
 * <p><b>Close.</b> {@link #close()} returns only once no snapshot is in progress, foreground
 * or background, so the store releases its directory only after the last file change a
 * snapshot makes; a snapshot asked for once close has begun fails with
 * {@link dev.etch.EtchClosedException} and changes nothing, and an automatic one is simply
 * not started. Requesting an automatic snapshot never fails, so a committed write never
 * fails because the store is closing.
 *
 * <p><b>When.</b> A fixed threshold ({@code snapshotEvery}, {@code snapshotLogSize}) is used
 * as given. The default ({@link StoreOptions#ADAPTIVE}) grows with the state, as Redis grows
 * its log rewrites: a snapshot is due after at least 50,000 entries and at least as many as
 * the newest snapshot holds records, or once the log is at least 64 MiB and at least as large
 * as the newest snapshot. So each record written to a snapshot pays for at least one logged
 * entry (a fixed 50,000 rewrote a million-record state every 50,000 writes: twenty records
 * per write, and a snapshot thread busy all the time), and the log a reopen replays stays
 * about as long as the snapshot it loads.
 *
 * @param <T> the state type
 */
final class Snapshotter<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

    private final DataDirectory directory;
    private final StateSchema<T> schema;
    private final EtchListener listener;
    private final Function<WalWriter, Version<T>> rotate;
    private final long every;
    private final long logSize;
    /** Records in the newest snapshot (at open: in the recovered state), for the adaptive rule. */
    private volatile long snapshotRecords;
    /** Bytes of the newest snapshot file, for the adaptive rule. */
    private volatile long snapshotBytes;
    private final ExecutorService background;
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Guarded by this. */
    private long generation;
    /** Guarded by this. */
    private long newestCover;
    /** Guarded by this. */
    private long previousCover;
    /**
     * {@code snapshot.postcard} could not be read when the store opened (it fell back past
     * it). The next snapshot sets it aside instead of making it {@code snapshot.prev}: the
     * snapshot the store opened from stays the fallback, with the logs since it. Guarded by this.
     */
    private boolean newestUnusable;
    private volatile Instant lastSnapshotAt;
    private volatile Throwable lastError;
    /** The exception for a snapshot asked for once the store is closing. */
    private final Supplier<? extends RuntimeException> closedException;
    /**
     * Guards {@code closed}, {@code inProgress} and {@code running}, and makes handing a task to
     * {@code background} and shutting it down mutually exclusive. Never held while waiting for
     * anything but itself (the writer lock and the monitor of {@code this} are taken without it),
     * so it cannot take part in a deadlock.
     */
    private final Object gate = new Object();
    /** Set once close begins; no snapshot starts after it. Guarded by gate. */
    private boolean closed;
    /** Snapshots admitted before close began that have not finished yet. Guarded by gate. */
    private int inProgress;
    /** The thread writing a snapshot now, if any. Guarded by gate. */
    private Thread running;

    Snapshotter(DataDirectory directory, StateSchema<T> schema, StoreOptions<T> options, long generation,
            long newestCover, long previousCover, boolean newestUnusable, long recordsAtOpen,
            Function<WalWriter, Version<T>> rotate, Supplier<? extends RuntimeException> closedException) {
        this.directory = directory;
        this.schema = schema;
        this.listener = options.listener();
        this.every = options.snapshotEvery();
        this.logSize = options.snapshotLogSize();
        this.generation = generation;
        this.newestCover = newestCover;
        this.previousCover = previousCover;
        this.newestUnusable = newestUnusable;
        this.rotate = rotate;
        this.closedException = closedException;
        this.background = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "etch-snapshot-" + directory.root().getFileName());
            thread.setDaemon(true);
            return thread;
        });
        this.lastSnapshotAt = modified(directory.snapshot());
        this.snapshotRecords = recordsAtOpen;
        this.snapshotBytes = size(directory.snapshot());
    }

    /**
     * Starts a background snapshot if the log has grown past a threshold and none is running.
     * Never throws for a closing store: called after a commit, so a failure here would report a
     * committed write as failed. Once close has begun the request is dropped.
     */
    void maybeRequest(long entriesSinceSnapshot, long logBytes) {
        boolean due = reached(entriesSinceSnapshot, every, StoreOptions.DEFAULT_SNAPSHOT_EVERY, snapshotRecords)
                || reached(logBytes, logSize, StoreOptions.DEFAULT_SNAPSHOT_LOG_SIZE, snapshotBytes);
        if (!due || !requested.compareAndSet(false, true)) {
            return;
        }
        synchronized (gate) {
            // close() shuts the executor down under the gate, so it is still running here and
            // execute cannot be rejected.
            if (closed) {
                requested.set(false);
                return;
            }
            background.execute(this::automaticSnapshot);
        }
    }

    /** The background task: a snapshot, unless the store began closing since it was requested. */
    private void automaticSnapshot() {
        try {
            if (admit(false)) {
                try {
                    write();
                } finally {
                    finished();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Automatic snapshot of {} failed; the logs are kept and it is retried later",
                    directory.root(), e);
        } finally {
            requested.set(false);
        }
    }

    /** Whether a measure of the log reached its threshold: fixed, off (0) or adaptive. */
    private static boolean reached(long value, long threshold, long adaptiveFloor, long newestSnapshot) {
        if (threshold == StoreOptions.ADAPTIVE) {
            return value >= adaptiveFloor && value >= newestSnapshot;
        }
        return threshold > 0 && value >= threshold;
    }

    /**
     * Writes a snapshot now; returns once it is durable and the covered logs are retired.
     *
     * @throws RuntimeException the store's closed exception if close has begun; nothing is
     *     changed then
     */
    void snapshot() {
        admit(true);
        try {
            write();
        } finally {
            finished();
        }
    }

    /**
     * Counts a snapshot in, so that close waits for it; once close has begun, throws the closed
     * exception if {@code orThrow}, else returns false.
     */
    private boolean admit(boolean orThrow) {
        synchronized (gate) {
            if (closed) {
                if (orThrow) {
                    throw closedException.get();
                }
                return false;
            }
            inProgress++;
            return true;
        }
    }

    /** Counts an admitted snapshot out, finished or failed, and wakes a close waiting for it. */
    private void finished() {
        synchronized (gate) {
            inProgress--;
            gate.notifyAll();
        }
    }

    /** One snapshot at a time; one admitted before close began but started after it does nothing. */
    private synchronized void write() {
        synchronized (gate) {
            if (closed) {
                throw closedException.get();
            }
            running = Thread.currentThread();
        }
        try {
            writeSnapshot();
        } finally {
            synchronized (gate) {
                running = null;
            }
        }
    }

    /** Under the monitor of this, admitted: the steps in the class comment. */
    private void writeSnapshot() {
        long next = generation + 1;
        WalWriter segment;
        try {
            segment = WalWriter.create(directory, next);
        } catch (IOException e) {
            throw failed("Cannot create log segment " + directory.segment(next), e);
        }
        CrashPoint.AFTER_SEGMENT_CREATED.hit();
        Version<T> version;
        try {
            version = rotate.apply(segment);
        } catch (RuntimeException e) {
            try {
                segment.close();
                Files.deleteIfExists(segment.file());
            } catch (IOException second) {
                e.addSuppressed(second);
            }
            lastError = e;
            throw e;
        }
        generation = next;
        CrashPoint.AFTER_ROTATION.hit();
        long started = System.nanoTime();
        Path tmp = directory.snapshotTmp();
        long records = 0;
        long bytes;
        try {
            records = version.records();
            try (SnapshotWriter writer = new SnapshotWriter(tmp, next, records)) {
                for (CollectionSchema<?, ?> c : schema.collections()) {
                    writeCollection(writer, c, version.maps()[c.index()]);
                    CrashPoint.MID_SNAPSHOT.hit();
                }
                bytes = writer.finish();
            }
            CrashPoint.AFTER_SNAPSHOT_SYNC.hit();
            if (Files.exists(directory.snapshot())) {
                if (newestUnusable) {
                    // Not over the snapshot the store opened from: that one stays the fallback.
                    Path aside = directory.unusableSnapshot();
                    Files.move(directory.snapshot(), aside, StandardCopyOption.ATOMIC_MOVE);
                    log.warn("Set the unreadable snapshot of {} aside as {}; the snapshot the store opened from stays"
                            + " the previous one", directory.root(), aside.getFileName());
                } else {
                    Files.move(directory.snapshot(), directory.previousSnapshot(),
                            StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    previousCover = newestCover;
                }
                CrashPoint.BETWEEN_SNAPSHOT_RENAMES.hit();
            }
            Files.move(tmp, directory.snapshot(), StandardCopyOption.ATOMIC_MOVE);
            newestUnusable = false;
            newestCover = next;
            CrashPoint.AFTER_SNAPSHOT_RENAME.hit();
            directory.sync();
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException second) {
                e.addSuppressed(second);
            }
            throw failed("Cannot write a snapshot of " + directory.root(), e);
        }
        CrashPoint.BEFORE_RETIRING_SEGMENTS.hit();
        retireSegments();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        lastSnapshotAt = Instant.now();
        snapshotRecords = records;
        snapshotBytes = bytes;
        lastError = null;
        log.info("Snapshot of {}: {} records, {} bytes in {} ms; the log continues in segment {}", directory.root(),
                records, bytes, took.toMillis(), next);
        listener.snapshotWritten(took, bytes, records); // never throws (see Listeners)
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void writeCollection(SnapshotWriter writer, CollectionSchema<K, V> collection, Object map)
            throws IOException {
        for (Map.Entry<K, V> e : ((Map<K, V>) map).entrySet()) {
            writer.record(collection.id(), collection.keys().encode(e.getKey()),
                    collection.values().encode(e.getValue()));
        }
    }

    /** Deletes the segments that both snapshots on disk cover. */
    private void retireSegments() {
        try {
            boolean removed = false;
            for (Map.Entry<Long, Path> segment : directory.segments().headMap(previousCover).entrySet()) {
                Files.deleteIfExists(segment.getValue());
                removed = true;
            }
            if (removed) {
                directory.sync();
            }
        } catch (IOException e) {
            // Harmless: the segments are covered twice over and are retired at the next snapshot.
            log.warn("Cannot remove retired log segments of {}: {}", directory.root(), e.toString());
        }
    }

    private EtchStorageException failed(String what, Exception cause) {
        EtchStorageException e = new EtchStorageException(what + ": " + cause.getMessage()
                + ". The previous snapshot and every log segment are kept; nothing is lost.", cause);
        lastError = e;
        return e;
    }

    /** When the newest snapshot was written, if there is one. */
    Optional<Instant> lastSnapshotAt() {
        return Optional.ofNullable(lastSnapshotAt);
    }

    /** The last snapshot failure not yet overcome by a successful snapshot. */
    Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Stops snapshots and returns once none is in progress: every snapshot admitted before this
     * call has finished or failed, so none changes a file after it returns. Any later snapshot
     * is refused. Waits as long as the snapshot takes, even if interrupted (the interrupt is kept
     * for the caller): returning earlier would let the store release its directory under a
     * running snapshot. Must be called without the store's writer lock, which a snapshot's
     * rotation takes. Called from the snapshot's own thread (an {@link EtchListener} closing the
     * store), it does not wait for that snapshot, which has no file left to change.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (gate) {
            if (!closed) {
                closed = true;
                background.shutdown();
            }
            long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean warned = false;
            while (inProgress > 0 && running != Thread.currentThread()) {
                if (!warned && System.nanoTime() - warnAt >= 0) {
                    log.warn("Closing {} waits for the snapshot in progress to finish", directory.root());
                    warned = true;
                }
                try {
                    gate.wait(1000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toInstant() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
