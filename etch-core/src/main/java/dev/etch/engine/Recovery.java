package dev.etch.engine;

import dev.etch.EtchCodecException;
import dev.etch.ReplayReport;
import dev.etch.persistent.PersistentMap;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import dev.etch.wal.DataDirectory;
import dev.etch.wal.Op;
import dev.etch.wal.WalReader;
import dev.etch.wal.WalScan;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state of a directory on open: the snapshot, then every good log entry after
 * it. The log is read once; a damaged tail is cut off (or, in strict mode, reported as
 * {@link dev.etch.WalCorruptedException} with nothing changed).
 *
 * @param <T> the state type
 */
final class Recovery<T> {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final StateSchema<T> schema;
    private final dev.etch.ValueCodec codec;
    private final DataDirectory directory;
    private final boolean strict;
    private final PersistentMap.Builder<?, ?>[] builders;
    private final Map<Integer, Long> skippedOps = new HashMap<>();

    Recovery(StateSchema<T> schema, dev.etch.ValueCodec codec, DataDirectory directory, boolean strict) {
        this.schema = schema;
        this.codec = codec;
        this.directory = directory;
        this.strict = strict;
        this.builders = new PersistentMap.Builder<?, ?>[schema.collections().size()];
    }

    /** What recovery produced: the state, where the log's valid end is, and the report. */
    record Result<T>(Version<T> version, WalScan scan, ReplayReport report) {}

    Result<T> run() {
        long started = System.nanoTime();
        Object[] maps = schema.emptyMaps();
        SnapshotLoad snapshot = SnapshotLoad.NONE;
        if (Files.exists(directory.snapshot())) {
            snapshot = EtchdbSnapshot.load(directory.snapshot(), schema, codec);
            maps = snapshot.maps();
        }
        for (CollectionSchema<?, ?> c : schema.collections()) {
            builders[c.index()] = ((PersistentMap<?, ?>) maps[c.index()]).toBuilder();
        }
        WalScan scan = WalReader.scan(directory.wal(), (ops, end) -> apply(ops));
        long discarded = 0;
        if (!scan.isClean()) {
            // A header torn at creation holds no entry: cutting it loses nothing, even in strict mode.
            boolean tornHeaderOnly = scan.damage().map(d -> d.kind() == WalScan.Kind.TORN_HEADER).orElse(false);
            if (strict && !tornHeaderOnly) {
                throw scan.toCorruptedException();
            }
            discarded = WalReader.truncateToValidEnd(scan);
        }
        Object[] recovered = new Object[builders.length];
        for (int i = 0; i < builders.length; i++) {
            recovered[i] = builders[i].build();
        }
        Version<T> version = new Version<>(schema.newState(recovered), recovered);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        ReplayReport report = new ReplayReport(snapshot != SnapshotLoad.NONE, snapshot.records(), scan.entries(),
                scan.ops(), discarded, discarded > 0 || !scan.isClean() ? scan.validEnd() : -1,
                scan.damage().map(WalScan.Damage::reason), skippedOps, took);
        if (!skippedOps.isEmpty()) {
            log.warn("Skipped {} logged operations on collection ids {} that {} does not declare; they stay in the"
                    + " log until the next snapshot", skippedOps.values().stream().mapToLong(Long::longValue).sum(),
                    skippedOps.keySet(), schema.type().getSimpleName());
        }
        return new Result<>(version, scan, report);
    }

    private void apply(List<Op> ops) {
        for (int i = 0, n = ops.size(); i < n; i++) {
            Op op = ops.get(i);
            CollectionSchema<?, ?> collection = schema.byId(op.collection());
            if (collection == null) {
                skippedOps.merge(op.collection(), 1L, Long::sum);
                continue;
            }
            apply(collection, op);
        }
    }

    @SuppressWarnings("unchecked")
    private <K, V> void apply(CollectionSchema<K, V> collection, Op op) {
        PersistentMap.Builder<K, V> builder = (PersistentMap.Builder<K, V>) builders[collection.index()];
        K key;
        try {
            key = collection.keys().decode(op.key());
        } catch (RuntimeException e) {
            throw new EtchCodecException("A key in the log of " + directory.root() + " does not decode as "
                    + collection.keys().type().getName() + " for " + collection.describe() + ": " + e.getMessage()
                    + ". Was the key type changed? Restore the old key type or migrate the data.", e);
        }
        if (op.isDelete()) {
            builder.remove(key);
            return;
        }
        V value;
        try {
            value = collection.values().decode(op.value(), 0, op.value().length);
        } catch (RuntimeException e) {
            throw new EtchCodecException("The value of key " + key + " in " + collection.describe() + " in "
                    + directory.root() + " no longer decodes: " + e.getMessage() + ". Was the value type changed"
                    + " incompatibly, or the codec? Restore the old type or codec, or migrate the data.", e);
        }
        builder.put(key, value);
    }

    /** A loaded snapshot: its maps (one per component) and how many records it held. */
    record SnapshotLoad(Object[] maps, long records) {
        static final SnapshotLoad NONE = new SnapshotLoad(null, 0);
    }
}
