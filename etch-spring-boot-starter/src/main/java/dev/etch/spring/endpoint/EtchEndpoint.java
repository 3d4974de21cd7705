package dev.etch.spring.endpoint;

import dev.etch.EtchStats;
import dev.etch.EtchStore;
import dev.etch.ReplayReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code etch} actuator endpoint: every store's stats and the report of its last open,
 * one store's ({@code etch/{store}}), and a write operation that takes a snapshot of a store
 * now ({@code POST etch/{store}}).
 *
 * <p>An unknown store name answers "not found". A failing snapshot fails the operation with
 * the store's exception; the previous snapshot and log stay in place.
 */
@Endpoint(id = "etch")
public class EtchEndpoint {

    private final Map<String, EtchStore<?>> stores;

    /**
     * Creates the endpoint.
     *
     * @param stores the stores by name
     */
    public EtchEndpoint(Map<String, ? extends EtchStore<?>> stores) {
        this.stores = new LinkedHashMap<>(Objects.requireNonNull(stores, "stores"));
    }

    /**
     * Every store, by name.
     *
     * @return the stores' descriptors
     */
    @ReadOperation
    public StoresDescriptor stores() {
        Map<String, StoreDescriptor> all = new LinkedHashMap<>();
        stores.forEach((name, store) -> all.put(name, StoreDescriptor.of(store)));
        return new StoresDescriptor(all);
    }

    /**
     * One store.
     *
     * @param store the store name
     * @return its descriptor, or {@code null} (not found) for an unknown name
     */
    @ReadOperation
    public StoreDescriptor store(@Selector String store) {
        EtchStore<?> found = stores.get(store);
        return found != null ? StoreDescriptor.of(found) : null;
    }

    /**
     * Writes a snapshot of a store now and returns its stats after it; returns once the
     * snapshot is durable.
     *
     * @param store the store name
     * @return the store's descriptor after the snapshot, or {@code null} (not found) for an
     *     unknown name
     * @throws dev.etch.EtchStorageException if the snapshot could not be written
     */
    @WriteOperation
    public StoreDescriptor snapshot(@Selector String store) {
        EtchStore<?> found = stores.get(store);
        if (found == null) {
            return null;
        }
        found.snapshot();
        return StoreDescriptor.of(found);
    }

    /**
     * Every store's descriptor.
     *
     * @param stores descriptors by store name
     */
    public record StoresDescriptor(Map<String, StoreDescriptor> stores) implements OperationResponseBody {}

    /**
     * What the endpoint reports about one store.
     *
     * @param stateType the state record's class name
     * @param directory the data directory, or {@code null} in memory
     * @param stats the store's counters now
     * @param lastReplay what the last open read
     */
    public record StoreDescriptor(String stateType, String directory, StatsDescriptor stats,
            ReplayDescriptor lastReplay) implements OperationResponseBody {

        static StoreDescriptor of(EtchStore<?> store) {
            return new StoreDescriptor(store.stateType().getName(),
                    store.directory().map(d -> d.toAbsolutePath().normalize().toString()).orElse(null),
                    StatsDescriptor.of(store.stats()), ReplayDescriptor.of(store.replayReport()));
        }
    }

    /**
     * The store's {@link EtchStats}, in a serializable form.
     *
     * @param commits transactions committed since open
     * @param collections size of each collection
     * @param logBytes size of the log
     * @param entriesSinceSnapshot log entries since the last snapshot
     * @param fsyncs fsyncs since open
     * @param lastSnapshotAt ISO-8601 time of the newest snapshot, or {@code null}
     * @param lastFlushError the unresolved log failure's message, or {@code null}
     */
    public record StatsDescriptor(long commits, List<EtchStats.CollectionStats> collections, long logBytes,
            long entriesSinceSnapshot, long fsyncs, String lastSnapshotAt, String lastFlushError) {

        static StatsDescriptor of(EtchStats stats) {
            return new StatsDescriptor(stats.commits(), stats.collections(), stats.logBytes(),
                    stats.entriesSinceSnapshot(), stats.fsyncs(),
                    stats.lastSnapshotAt().map(Object::toString).orElse(null),
                    stats.lastFlushError().map(Throwable::toString).orElse(null));
        }
    }

    /**
     * The store's {@link ReplayReport}, in a serializable form.
     *
     * @param snapshotLoaded whether a snapshot was loaded
     * @param snapshotRecords records read from it
     * @param entriesReplayed log entries replayed
     * @param opsReplayed operations replayed
     * @param bytesDiscarded bytes cut off the log
     * @param discardedAtOffset where the log was cut, {@code -1} if not
     * @param discardReason why, or {@code null}
     * @param skippedOpsByCollection operations skipped by unknown collection id
     * @param durationMillis time the open spent reading
     */
    public record ReplayDescriptor(boolean snapshotLoaded, long snapshotRecords, long entriesReplayed,
            long opsReplayed, long bytesDiscarded, long discardedAtOffset, String discardReason,
            Map<Integer, Long> skippedOpsByCollection, double durationMillis) {

        static ReplayDescriptor of(ReplayReport report) {
            return new ReplayDescriptor(report.snapshotLoaded(), report.snapshotRecords(), report.entriesReplayed(),
                    report.opsReplayed(), report.bytesDiscarded(), report.discardedAtOffset(),
                    report.discardReason().orElse(null), report.skippedOpsByCollection(),
                    report.duration().toNanos() / 1_000_000.0);
        }
    }
}
