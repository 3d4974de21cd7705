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
    private volatile boolean closed;

    Snapshotter(DataDirectory directory, StateSchema<T> schema, StoreOptions<T> options, long generation,
            long newestCover, long previousCover, boolean newestUnusable, long recordsAtOpen,
            Function<WalWriter, Version<T>> rotate) {
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
        this.background = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "etch-snapshot-" + directory.root().getFileName());
            thread.setDaemon(true);
            return thread;
        });
        this.lastSnapshotAt = modified(directory.snapshot());
        this.snapshotRecords = recordsAtOpen;
        this.snapshotBytes = size(directory.snapshot());
    }

    /** Starts a background snapshot if the log has grown past a threshold and none is running. */
    void maybeRequest(long entriesSinceSnapshot, long logBytes) {
        boolean due = reached(entriesSinceSnapshot, every, StoreOptions.DEFAULT_SNAPSHOT_EVERY, snapshotRecords)
                || reached(logBytes, logSize, StoreOptions.DEFAULT_SNAPSHOT_LOG_SIZE, snapshotBytes);
        if (due && !closed && requested.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    if (!closed) {
                        snapshot();
                    }
                } catch (RuntimeException e) {
                    log.warn("Automatic snapshot of {} failed; the logs are kept and it is retried later",
                            directory.root(), e);
                } finally {
                    requested.set(false);
                }
            });
        }
    }

    /** Whether a measure of the log reached its threshold: fixed, off (0) or adaptive. */
    private static boolean reached(long value, long threshold, long adaptiveFloor, long newestSnapshot) {
        if (threshold == StoreOptions.ADAPTIVE) {
            return value >= adaptiveFloor && value >= newestSnapshot;
        }
        return threshold > 0 && value >= threshold;
    }

    /** Writes a snapshot now; returns once it is durable and the covered logs are retired. */
    synchronized void snapshot() {
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
        try {
            listener.snapshotWritten(took, bytes, records);
        } catch (RuntimeException e) {
            log.warn("EtchListener.snapshotWritten failed", e);
        }
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

    /** Stops automatic snapshots and waits for one in progress. */
    @Override
    public void close() {
        closed = true;
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.MINUTES)) {
                log.warn("A snapshot of {} is still running at close", directory.root());
            }
        } catch (InterruptedException e) {
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
