package dev.etch.engine;

import dev.etch.EtchSchemaException;
import dev.etch.EtchStorageException;
import dev.etch.ValueCodec;
import dev.etch.WalCorruptedException;
import dev.etch.codec.Records;
import dev.etch.codec.postcard.PostcardValueCodec;
import dev.etch.persistent.PersistentMap;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a snapshot written by etchdb 0.3.2: {@code ESNA}, version byte 1, then the postcard
 * encoding of the whole state struct (its map fields in declaration order, each a varint
 * length and key/value pairs). Keys in a snapshot are postcard values, not the log's key
 * encoding, so the store must use {@link ValueCodec#postcard()} with the same field order.
 * Version 2 (zstd-compressed) is not supported.
 */
final class EtchdbSnapshot {

    static final byte[] MAGIC = {'E', 'S', 'N', 'A'};
    static final int VERSION_POSTCARD = 1;
    static final int VERSION_ZSTD = 2;
    private static final int HEADER = MAGIC.length + 1;

    private EtchdbSnapshot() {}

    static Recovery.SnapshotLoad load(Path file, StateSchema<?> schema, ValueCodec codec) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new EtchStorageException("Cannot read snapshot " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < HEADER || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]
                || bytes[3] != MAGIC[3]) {
            throw new WalCorruptedException(file, 0, "not an etch snapshot (no ESNA magic)");
        }
        int version = bytes[4] & 0xFF;
        if (version == VERSION_ZSTD) {
            throw new EtchSchemaException("Snapshot " + file + " is zstd-compressed (etchdb snapshot version 2), which"
                    + " this version of Etch does not read. Write an uncompressed snapshot with etchdb first.");
        }
        if (version != VERSION_POSTCARD) {
            throw new WalCorruptedException(file, 4, "unknown snapshot version " + version);
        }
        if (!(codec instanceof PostcardValueCodec postcard)) {
            throw new EtchSchemaException("Snapshot " + file + " was written by etchdb in postcard; open this directory"
                    + " with .valueCodec(ValueCodec.postcard()) (the store uses " + codec.name() + ").");
        }
        Object state;
        try {
            state = postcard.bind(schema.type()).decode(bytes, HEADER, bytes.length - HEADER);
        } catch (RuntimeException e) {
            throw new WalCorruptedException(file, HEADER, "the snapshot does not decode as "
                    + schema.type().getName() + ": " + e.getMessage());
        }
        Object[] maps = schema.emptyMaps();
        long records = 0;
        for (CollectionSchema<?, ?> c : schema.collections()) {
            Map<?, ?> decoded = (Map<?, ?>) Records.get(
                    Records.accessor(schema.type().getRecordComponents()[c.index()]), state);
            maps[c.index()] = copy((PersistentMap<?, ?>) maps[c.index()], decoded);
            records += decoded.size();
        }
        return new Recovery.SnapshotLoad(maps, records);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> PersistentMap<K, V> copy(PersistentMap<K, V> empty, Map<?, ?> decoded) {
        PersistentMap.Builder<K, V> builder = empty.toBuilder();
        decoded.forEach((k, v) -> builder.put((K) k, (V) v));
        return builder.build();
    }
}
