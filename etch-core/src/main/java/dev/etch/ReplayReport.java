package dev.etch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What opening a store read from its directory: the snapshot, the log entries replayed, and
 * anything it had to skip or cut off.
 *
 * <p>A non-strict open truncates the log at the first entry that is short, fails its
 * checksum or fails to decode, and says so here; a strict open
 * ({@code builder.strictRecovery(true)}) fails with {@link WalCorruptedException} instead.
 *
 * @param snapshotLoaded whether a snapshot was found and loaded
 * @param snapshotRecords records read from the snapshot
 * @param snapshotFallback why the newest snapshot could not be used, when an older one (and
 *     the logs since it) was used instead; strict recovery fails instead
 * @param segmentsReplayed log segments read after the snapshot
 * @param entriesReplayed log entries (transactions) replayed after the snapshot
 * @param opsReplayed puts and deletes in those entries
 * @param bytesDiscarded bytes cut off the end of the log, {@code 0} if it was whole
 * @param discardedAtOffset the log offset where the cut was made, {@code -1} if none
 * @param discardReason why the tail was cut off (short entry, checksum mismatch, ...)
 * @param skippedOpsByCollection operations whose collection id the state type no longer has,
 *     counted by that id; they stay in the log and are dropped at the next snapshot
 * @param duration how long the open spent reading
 * @param cutCopies files in the data directory that keep what was cut off (the damaged
 *     tail of a segment, or whole segments after it) for inspection by hand; Etch never reads
 *     or deletes them. Empty if nothing was cut
 */
public record ReplayReport(
        boolean snapshotLoaded,
        long snapshotRecords,
        Optional<String> snapshotFallback,
        int segmentsReplayed,
        long entriesReplayed,
        long opsReplayed,
        long bytesDiscarded,
        long discardedAtOffset,
        Optional<String> discardReason,
        Map<Integer, Long> skippedOpsByCollection,
        Duration duration,
        List<Path> cutCopies) {

    /**
     * Copies the map so the report stays fixed.
     *
     * @param snapshotLoaded whether a snapshot was loaded
     * @param snapshotRecords records read from the snapshot
     * @param snapshotFallback why the newest snapshot was not used
     * @param segmentsReplayed log segments read
     * @param entriesReplayed entries replayed
     * @param opsReplayed operations replayed
     * @param bytesDiscarded bytes cut off the log
     * @param discardedAtOffset offset of the cut, or -1
     * @param discardReason reason for the cut
     * @param skippedOpsByCollection skipped operations by unknown collection id
     * @param duration time spent
     * @param cutCopies files keeping what was cut off
     */
    public ReplayReport {
        Objects.requireNonNull(snapshotFallback, "snapshotFallback");
        Objects.requireNonNull(discardReason, "discardReason");
        skippedOpsByCollection = Map.copyOf(skippedOpsByCollection);
        Objects.requireNonNull(duration, "duration");
        cutCopies = List.copyOf(cutCopies);
    }

    /**
     * A report without cut copies: the form of the first releases, kept for callers that
     * build reports themselves.
     *
     * @param snapshotLoaded whether a snapshot was loaded
     * @param snapshotRecords records read from the snapshot
     * @param snapshotFallback why the newest snapshot was not used
     * @param segmentsReplayed log segments read
     * @param entriesReplayed entries replayed
     * @param opsReplayed operations replayed
     * @param bytesDiscarded bytes cut off the log
     * @param discardedAtOffset offset of the cut, or -1
     * @param discardReason reason for the cut
     * @param skippedOpsByCollection skipped operations by unknown collection id
     * @param duration time spent
     */
    public ReplayReport(boolean snapshotLoaded, long snapshotRecords, Optional<String> snapshotFallback,
            int segmentsReplayed, long entriesReplayed, long opsReplayed, long bytesDiscarded, long discardedAtOffset,
            Optional<String> discardReason, Map<Integer, Long> skippedOpsByCollection, Duration duration) {
        this(snapshotLoaded, snapshotRecords, snapshotFallback, segmentsReplayed, entriesReplayed, opsReplayed,
                bytesDiscarded, discardedAtOffset, discardReason, skippedOpsByCollection, duration, List.of());
    }

    /**
     * The report of a store that read nothing: in memory, or a new directory.
     *
     * @return an empty report
     */
    public static ReplayReport empty() {
        return new ReplayReport(false, 0, Optional.empty(), 0, 0, 0, 0, -1, Optional.empty(), Map.of(), Duration.ZERO);
    }

    /**
     * Whether anything was cut off or skipped, or an older snapshot had to be used.
     *
     * @return {@code true} if bytes were discarded, operations skipped or a snapshot passed over
     */
    public boolean lostAnything() {
        return bytesDiscarded > 0 || !skippedOpsByCollection.isEmpty() || snapshotFallback.isPresent();
    }
}
