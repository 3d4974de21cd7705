package dev.etch.engine;

import dev.etch.EtchCodecException;
import dev.etch.EtchStorageException;
import dev.etch.ReplayReport;
import dev.etch.ValueCodec;
import dev.etch.WalCorruptedException;
import dev.etch.persistent.PersistentMap;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import dev.etch.snapshot.SnapshotFormat;
import dev.etch.snapshot.SnapshotReader;
import dev.etch.wal.DataDirectory;
import dev.etch.wal.Op;
import dev.etch.wal.WalReader;
import dev.etch.wal.WalScan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state of a directory on open: the newest readable snapshot, then every log
 * segment from the generation it names, in order.
 *
 * <p>A newest snapshot that is damaged or unreadable is passed over for the previous one (the
 * logs since it are kept for exactly this), and the report says so; strict recovery fails
 * instead. A damaged log entry ends the replay: the segment is cut there and later segments,
 * which were built on the lost entries, are removed (strict recovery: fails, changing
 * nothing). The state never silently falls back to empty: if snapshots exist but none is
 * readable and the logs since the beginning are gone, the open fails.
 *
 * @param <T> the state type
 */
final class Recovery<T> {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final StateSchema<T> schema;
    private final ValueCodec codec;
    private final DataDirectory directory;
    private final boolean strict;
    /** Ops per decoding batch. */
    private static final int BATCH = 4096;
    /** Batches decoding at once, bounding the memory of a replay that runs ahead. */
    private static final int MAX_IN_FLIGHT = 8;

    /**
     * How much gathered change the builders apply at once, in encoded bytes plus
     * {@link #CHANGE_OVERHEAD} per change. Into an empty builder a whole batch is assembled
     * at once, several times faster than inserting one by one, so the open gathers all it
     * may: a sixteenth of the heap, which bounds what the decoded values of keys rewritten
     * in the log (all held until applied) can take. The system property
     * {@value #APPLY_BYTES_PROPERTY} overrides it; tests use it to make the bound small.
     */
    private final long applyBytes =
            Long.getLong(APPLY_BYTES_PROPERTY, Runtime.getRuntime().maxMemory() / 16);
    /** Overrides how many bytes of changes recovery gathers before applying them. */
    static final String APPLY_BYTES_PROPERTY = "etch.recovery.applyBytes";
    /** Heap taken by one gathered change beyond its encoded bytes: two references, objects. */
    private static final int CHANGE_OVERHEAD = 64;

    private PersistentMap.Builder<?, ?>[] builders;
    /** Decoded changes not yet applied, per collection index, in log order. */
    private Pending[] pending;
    private long pendingBytes;
    /**
     * While a snapshot is read: its keys are unique, so every value gathered is one the
     * opened state holds anyway, and only {@link #CHANGE_OVERHEAD} per change counts
     * towards {@link #applyBytes}. The whole snapshot is then assembled in one batch
     * instead of its tail being inserted one by one into the assembled head.
     */
    private boolean readingSnapshot;
    private final Map<Integer, Long> skippedOps = new HashMap<>();
    /** Files keeping what this open cut off, for the report. */
    private final List<Path> cutCopies = new ArrayList<>();
    /** Decodes batches in parallel with reading; {@code null} on a single processor. */
    private ExecutorService decoders;
    private final ArrayDeque<Future<Decoded[]>> inFlight = new ArrayDeque<>();
    private List<Op> batch = new ArrayList<>(BATCH);

    Recovery(StateSchema<T> schema, ValueCodec codec, DataDirectory directory, boolean strict) {
        this.schema = schema;
        this.codec = codec;
        this.directory = directory;
        this.strict = strict;
    }

    /**
     * What recovery produced.
     *
     * @param version the recovered state
     * @param generation the last log segment, where appends continue
     * @param scan that segment's scan, after any cut
     * @param newestCover the generation the newest snapshot covers up to, 0 without one
     * @param previousCover the same for the fallback snapshot, 0 without one
     * @param newestUnusable whether {@code snapshot.postcard} exists but could not be read, so
     *     the open fell back past it: the next snapshot must not make it the fallback
     * @param report what was read
     */
    record Result<T>(Version<T> version, long generation, WalScan scan, long newestCover, long previousCover,
            boolean newestUnusable, ReplayReport report) {}

    Result<T> run() {
        int workers = Runtime.getRuntime().availableProcessors();
        if (workers > 1) {
            decoders = Executors.newFixedThreadPool(workers, task -> {
                Thread thread = new Thread(task, "etch-replay-" + directory.root().getFileName());
                thread.setDaemon(true);
                return thread;
            });
        }
        try {
            return replay();
        } finally {
            if (decoders != null) {
                decoders.shutdownNow();
            }
        }
    }

    private Result<T> replay() {
        long started = System.nanoTime();
        deleteQuietly(directory.snapshotTmp());
        SnapshotChoice snapshot = loadSnapshot();
        SortedMap<Long, Path> segments = listSegments();
        long cover = snapshot.cover();
        // An Etch snapshot covering segments before N is written only after segment N was
        // created and synced, and segment N is retired only after a later snapshot is durable:
        // every state a crash can leave still has it. Without it, its transactions are gone.
        if (snapshot.loaded() && cover > 0 && !segments.containsKey(cover)) {
            throw new EtchStorageException("The snapshot in " + directory.root() + " covers log segments before "
                    + cover + ", but segment " + cover + " (" + directory.segment(cover).getFileName() + "), where"
                    + " the log continues, is missing" + (segments.isEmpty() ? "" : " (segments present: "
                    + segments.keySet() + ")") + ": its transactions would be lost. Restore it from a backup.", null);
        }
        // Without any snapshot file, replay must start at the very first segment: a log that
        // starts later was retired by a snapshot that is gone now.
        if (!snapshot.loaded() && snapshot.fallback().isEmpty() && !segments.isEmpty() && segments.firstKey() != 0) {
            throw new EtchStorageException("No snapshot in " + directory.root() + ", and the oldest log segment is "
                    + segments.firstKey() + " (" + segments.get(segments.firstKey()).getFileName() + "): the logs"
                    + " before it were retired by a snapshot that is gone, so opening would silently lose their"
                    + " transactions. Restore snapshot.postcard (or snapshot.prev) from a backup.", null);
        }
        long entries = 0;
        long ops = 0;
        long discarded = 0;
        long discardedAt = -1;
        int replayed = 0;
        Optional<String> reason = Optional.empty();
        long lastGeneration = Math.max(cover, segments.isEmpty() ? cover : segments.lastKey());
        WalScan lastScan = null;
        List<Long> generations = new ArrayList<>(segments.tailMap(cover).keySet());
        for (int i = 0; i < generations.size(); i++) {
            long generation = generations.get(i);
            if (i > 0 && generation != generations.get(i - 1) + 1) {
                throw new EtchStorageException("Log segment " + (generations.get(i - 1) + 1) + " is missing from "
                        + directory.root() + " (found " + generations.get(i - 1) + " and " + generation + ")."
                        + " Restore it from a backup; replaying past it would lose its transactions.", null);
            }
            Path file = segments.get(generation);
            WalScan scan = WalReader.scan(file, (entryOps, end) -> apply(entryOps));
            drain();
            replayed++;
            entries += scan.entries();
            ops += scan.ops();
            lastScan = scan;
            lastGeneration = generation;
            List<Long> later = generations.subList(i + 1, generations.size());
            // A segment's header is synced, with the directory, before anything later exists:
            // before the next segment and before a snapshot that covers up to it. So a torn
            // header is an interrupted creation only in the newest segment, and only if no
            // snapshot was written after it; anywhere else it is damage.
            boolean tornCreation = scan.damage().map(d -> d.kind() == WalScan.Kind.TORN_HEADER).orElse(false)
                    && later.isEmpty() && !(snapshot.loaded() && cover > 0 && generation == cover);
            if (!scan.isClean()) {
                if (strict && !tornCreation) {
                    throw scan.toCorruptedException();
                }
                discardedAt = scan.validEnd();
                reason = scan.damage().map(WalScan.Damage::reason);
                // The later segments first: they were built on what the damage hides. Set aside
                // before the cut, a failure or crash in between leaves this segment the newest,
                // still damaged, and the next open cuts it the same way.
                if (!later.isEmpty()) {
                    discarded += removeLaterSegments(segments, later);
                }
                keepCut(scan);
                discarded += WalReader.truncateToValidEnd(scan);
                if (!later.isEmpty()) {
                    break;
                }
            }
        }
        drain();
        applyPending();
        Object[] recovered = new Object[builders.length];
        for (int i = 0; i < builders.length; i++) {
            recovered[i] = builders[i].build();
        }
        Version<T> version = new Version<>(schema.newState(recovered), recovered);
        if (lastScan == null) {
            lastScan = WalReader.scan(directory.segment(lastGeneration), (entryOps, end) -> apply(entryOps));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        ReplayReport report = new ReplayReport(snapshot.loaded(), snapshot.records(), snapshot.fallback(), replayed,
                entries, ops, discarded, discardedAt, reason, skippedOps, took, cutCopies);
        if (!skippedOps.isEmpty()) {
            log.warn("Skipped {} logged operations on collection ids {} that {} does not declare; they stay in the"
                    + " log until the next snapshot", skippedOps.values().stream().mapToLong(Long::longValue).sum(),
                    skippedOps.keySet(), schema.type().getSimpleName());
        }
        return new Result<>(version, lastGeneration, lastScan, cover, snapshot.previousCover(),
                snapshot.newestUnusable(), report);
    }

    /** The snapshot chosen, how far it covers, and why a newer one was passed over. */
    private record SnapshotChoice(boolean loaded, long cover, long records, Optional<String> fallback,
            long previousCover, boolean newestUnusable) {}

    private SnapshotChoice loadSnapshot() {
        List<Path> candidates = new ArrayList<>();
        for (Path file : List.of(directory.snapshot(), directory.previousSnapshot())) {
            if (Files.exists(file)) {
                candidates.add(file);
            }
        }
        String fallback = null;
        for (int i = 0; i < candidates.size(); i++) {
            Path file = candidates.get(i);
            resetBuilders();
            try {
                long[] coverAndRecords = loadSnapshot(file);
                long previousCover = i + 1 < candidates.size() ? peekCover(candidates.get(i + 1)) : coverAndRecords[0];
                if (fallback != null) {
                    log.warn("Opened {} from its previous snapshot: {}", directory.root(), fallback);
                }
                return new SnapshotChoice(true, coverAndRecords[0], coverAndRecords[1], Optional.ofNullable(fallback),
                        previousCover, i > 0 && candidates.get(0).equals(directory.snapshot()));
            } catch (WalCorruptedException | EtchStorageException e) {
                if (strict) {
                    throw e;
                }
                fallback = (fallback == null ? "" : fallback + "; ") + file.getFileName() + " is unusable: "
                        + e.getMessage();
            }
        }
        resetBuilders();
        if (fallback != null) {
            // Snapshots existed but none could be read: only safe if the logs since the
            // very beginning are still there.
            SortedMap<Long, Path> segments = listSegments();
            if (segments.isEmpty() || segments.firstKey() != 0) {
                throw new EtchStorageException("No snapshot in " + directory.root() + " is readable (" + fallback
                        + ") and the logs they replaced are gone. Restore a snapshot from a backup.", null);
            }
            log.warn("Opening {} from its logs alone: {}", directory.root(), fallback);
        }
        return new SnapshotChoice(false, 0, 0, Optional.ofNullable(fallback), 0,
                !candidates.isEmpty() && candidates.get(0).equals(directory.snapshot()));
    }

    /** Loads one snapshot into the builders; returns {cover generation, records}. */
    private long[] loadSnapshot(Path file) {
        byte[] head = peekHeader(file);
        int version = SnapshotFormat.version(head);
        if (version == SnapshotFormat.VERSION_ETCHDB_POSTCARD || version == SnapshotFormat.VERSION_ETCHDB_ZSTD) {
            if (SnapshotFormat.isEtchHeaderApartFromVersion(head)) {
                // Damage like any other, so a damaged newest snapshot falls back to the previous one.
                throw new WalCorruptedException(file, 4, "version byte " + version + " in a header that is otherwise"
                        + " an Etch snapshot's (version " + SnapshotFormat.VERSION + "): the byte is damaged");
            }
            Recovery.SnapshotLoad etchdb = EtchdbSnapshot.load(file, schema, codec);
            for (CollectionSchema<?, ?> c : schema.collections()) {
                builders[c.index()] = ((PersistentMap<?, ?>) etchdb.maps()[c.index()]).toBuilder();
            }
            return new long[] {0, etchdb.records()};
        }
        readingSnapshot = true;
        try {
            SnapshotReader.Header header = SnapshotReader.read(file,
                    (collection, key, value) -> apply(Op.put(collection, key, value)));
            drain();
            return new long[] {header.generation(), header.records()};
        } catch (IOException e) {
            throw new EtchStorageException("Cannot read snapshot " + file + ": " + e.getMessage(), e);
        } finally {
            readingSnapshot = false;
        }
    }

    /** Up to the first {@link SnapshotFormat#HEADER_SIZE} bytes of a snapshot file. */
    private static byte[] peekHeader(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(SnapshotFormat.HEADER_SIZE);
        } catch (IOException e) {
            throw new EtchStorageException("Cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    /** The generation a snapshot covers, read from its header without loading it; 0 if unknown. */
    private static long peekCover(Path file) {
        byte[] head;
        try {
            head = peekHeader(file);
        } catch (EtchStorageException e) {
            return 0;
        }
        return SnapshotFormat.version(head) == SnapshotFormat.VERSION && head.length == SnapshotFormat.HEADER_SIZE
                ? dev.etch.codec.postcard.PostcardInput.longLE(head, 8) : 0;
    }

    private void resetBuilders() {
        for (Future<Decoded[]> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        batch = new ArrayList<>(BATCH);
        skippedOps.clear();
        Object[] empty = schema.emptyMaps();
        builders = new PersistentMap.Builder<?, ?>[empty.length];
        pending = new Pending[empty.length];
        pendingBytes = 0;
        for (int i = 0; i < empty.length; i++) {
            builders[i] = ((PersistentMap<?, ?>) empty[i]).toBuilder();
            pending[i] = new Pending();
        }
    }

    private SortedMap<Long, Path> listSegments() {
        try {
            return directory.segments();
        } catch (IOException e) {
            throw new EtchStorageException("Cannot list " + directory.root() + ": " + e.getMessage(), e);
        }
    }

    private long removeLaterSegments(SortedMap<Long, Path> segments, List<Long> later) {
        long bytes = 0;
        for (long generation : later) {
            Path file = segments.get(generation);
            Path aside = directory.cutCopy(file, 0);
            try {
                bytes += WalReader.bytesBeforeZeroTail(file);
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                log.warn("Set log segment {} aside as {}: it follows a damaged entry, so its transactions cannot be"
                        + " applied", file, aside);
            } catch (IOException e) {
                throw new EtchStorageException("Cannot set log segment " + file + " aside after the damage before"
                        + " it: " + e.getMessage(), e);
            }
            cutCopies.add(aside);
        }
        try {
            directory.sync();
        } catch (IOException e) {
            throw new EtchStorageException("Cannot sync " + directory.root() + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    /**
     * Before a lenient cut: copies the bytes it removes (up to the reserved zeros) beside the
     * segment and syncs the copy and the directory, so that damage never destroys the
     * acknowledged entries it hides. Without the copy nothing is cut: the open fails.
     */
    private void keepCut(WalScan scan) {
        long bytes = scan.bytesAfterValidEnd();
        if (bytes <= 0) {
            return;
        }
        Path copy = directory.cutCopy(scan.file(), scan.validEnd());
        try (FileChannel from = FileChannel.open(scan.file(), StandardOpenOption.READ);
                FileChannel to = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = scan.validEnd();
            long end = position + bytes;
            while (position < end) {
                long copied = from.transferTo(position, end - position, to);
                if (copied <= 0) {
                    throw new IOException("the log ended at offset " + position + " while it was copied");
                }
                position += copied;
            }
            to.force(true);
            directory.sync();
        } catch (IOException e) {
            deleteQuietly(copy); // a partial copy must not pass for the kept bytes
            throw new EtchStorageException("Cannot keep a copy of the " + bytes + " damaged bytes of " + scan.file()
                    + " from offset " + scan.validEnd() + " in " + copy + " (" + e + "), so nothing was cut off. Make"
                    + " room or fix the directory's permissions and open again, or open with strictRecovery(true)"
                    + " to fail without changing anything.", e);
        }
        cutCopies.add(copy);
        log.warn("Kept the {} bytes cut off {} from offset {} in {}", bytes, scan.file(), scan.validEnd(), copy);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot remove leftover {}: {}", file, e.toString());
        }
    }

    private void apply(List<Op> ops) {
        for (int i = 0, n = ops.size(); i < n; i++) {
            apply(ops.get(i));
        }
    }

    /** Queues one op; it is decoded on a worker and applied, in log order, by {@link #drain}. */
    private void apply(Op op) {
        batch.add(op);
        if (batch.size() >= BATCH) {
            submitBatch();
        }
    }

    private void submitBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<Op> ops = batch;
        batch = new ArrayList<>(BATCH);
        if (decoders == null) {
            applyDecoded(decode(ops));
            return;
        }
        inFlight.addLast(decoders.submit(() -> decode(ops)));
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            applyDecoded(await(inFlight.pollFirst()));
        }
    }

    /** Decodes every queued op; {@link #applyPending} then applies them. */
    private void drain() {
        submitBatch();
        while (!inFlight.isEmpty()) {
            applyDecoded(await(inFlight.pollFirst()));
        }
    }

    private void applyPending() {
        for (int i = 0; i < pending.length; i++) {
            pending[i].applyTo(builders[i]);
        }
        pendingBytes = 0;
    }

    private Decoded[] await(Future<Decoded[]> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtchStorageException("Interrupted while opening " + directory.root(), e);
        }
    }

    /** An op with its key and value decoded; {@code value == null} for a delete. */
    private record Decoded(CollectionSchema<?, ?> collection, int unknownId, Object key, Object value, int bytes) {}

    /** Decodes keys and values; pure, so batches can be decoded on any thread. */
    private Decoded[] decode(List<Op> ops) {
        Decoded[] out = new Decoded[ops.size()];
        for (int i = 0; i < out.length; i++) {
            Op op = ops.get(i);
            CollectionSchema<?, ?> collection = schema.byId(op.collection());
            out[i] = collection == null ? new Decoded(null, op.collection(), null, null, 0) : decode(collection, op);
        }
        return out;
    }

    /**
     * Hands decoded ops to their collections' builders in chunks: a builder applies a chunk
     * faster than the same changes one by one (see {@link PersistentMap.Builder#applyAll}).
     */
    private void applyDecoded(Decoded[] decoded) {
        for (Decoded d : decoded) {
            if (d.collection() == null) {
                skippedOps.merge(d.unknownId(), 1L, Long::sum);
            } else {
                pending[d.collection().index()].add(d.key(), d.value());
                pendingBytes += (readingSnapshot ? 0 : d.bytes()) + CHANGE_OVERHEAD;
            }
        }
        if (pendingBytes >= applyBytes) {
            applyPending();
        }
    }

    /** One collection's decoded changes in log order; a {@code null} value is a delete. */
    private static final class Pending {
        private Object[] keys = new Object[16];
        private Object[] values = new Object[16];
        private int count;

        void add(Object key, Object value) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            keys[count] = key;
            values[count++] = value;
        }

        void applyTo(PersistentMap.Builder<?, ?> builder) {
            builder.applyAll(keys, values, count);
            if (keys.length > 1 << 16) {
                keys = new Object[16];
                values = new Object[16];
            } else {
                Arrays.fill(keys, 0, count, null);
                Arrays.fill(values, 0, count, null);
            }
            count = 0;
        }
    }

    private <K, V> Decoded decode(CollectionSchema<K, V> collection, Op op) {
        K key;
        try {
            key = collection.keys().decode(op.key());
        } catch (RuntimeException e) {
            throw new EtchCodecException("A key in " + directory.root() + " does not decode as "
                    + collection.keys().type().getName() + " for " + collection.describe() + ": " + e.getMessage()
                    + ". Was the key type changed? Restore the old key type or migrate the data.", e);
        }
        // Computed here, on a decoder thread: a String caches its hash, and the single thread
        // that applies batches to the builders then finds it ready.
        key.hashCode();
        if (op.isDelete()) {
            return new Decoded(collection, 0, key, null, op.key().length);
        }
        V value;
        try {
            value = collection.values().decode(op.value(), 0, op.value().length);
        } catch (RuntimeException e) {
            throw new EtchCodecException("The value of key " + key + " in " + collection.describe() + " in "
                    + directory.root() + " no longer decodes: " + e.getMessage() + ". Was the value type changed"
                    + " incompatibly, or the codec? Restore the old type or codec, or migrate the data.", e);
        }
        return new Decoded(collection, 0, key, value, op.key().length + op.value().length);
    }

    /** A loaded etchdb snapshot: its maps (one per component) and how many records it held. */
    record SnapshotLoad(Object[] maps, long records) {}
}
