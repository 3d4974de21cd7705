package dev.etch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of a store's counters, for health checks, metrics and operators.
 *
 * <p>Every figure is read without blocking writers; figures taken together may be a few
 * commits apart from each other under concurrent writes.
 *
 * @param commits transactions committed since the store was opened (empty transactions,
 *     which write nothing, are not counted)
 * @param collections the size of every collection in the state visible to readers, in
 *     collection-id order
 * @param logBytes the bytes of entries (and header) in the current write-ahead log segment,
 *     {@code 0} for a store without a directory; the file may be up to 1 MiB larger while the
 *     store is open, by the zeros reserved ahead of appends
 * @param entriesSinceSnapshot log entries written since the last snapshot (or since the log
 *     was created)
 * @param fsyncs fsyncs of the log since the store was opened
 * @param lastSnapshotAt when the newest snapshot was written, empty if there is none
 * @param lastFlushError the last fsync or write failure of the log that has not been
 *     overcome yet, empty when the log is healthy
 */
public record EtchStats(
        long commits,
        List<CollectionStats> collections,
        long logBytes,
        long entriesSinceSnapshot,
        long fsyncs,
        Optional<Instant> lastSnapshotAt,
        Optional<Throwable> lastFlushError) {

    /**
     * Copies the collection list so the stats stay fixed.
     *
     * @param commits transactions committed since open
     * @param collections per-collection sizes
     * @param logBytes bytes of entries in the current log segment (with its header, without
     *     the zeros reserved ahead of appends)
     * @param entriesSinceSnapshot entries since the last snapshot
     * @param fsyncs fsyncs since open
     * @param lastSnapshotAt time of the newest snapshot, if any
     * @param lastFlushError the unresolved log failure, if any
     */
    public EtchStats {
        collections = List.copyOf(collections);
        Objects.requireNonNull(lastSnapshotAt, "lastSnapshotAt");
        Objects.requireNonNull(lastFlushError, "lastFlushError");
    }

    /**
     * The size of one collection.
     *
     * @param id the collection id from {@link EtchCollection}
     * @param name the record component's name
     * @param size the number of entries readers see
     */
    public record CollectionStats(int id, String name, int size) {}
}
