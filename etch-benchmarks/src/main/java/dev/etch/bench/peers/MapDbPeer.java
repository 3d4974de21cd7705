package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * MapDB 3 with its write-ahead log ({@code transactionEnable()}), memory-mapped file where
 * supported, an {@code HTreeMap<String, byte[]>} ({@link BookCodec} values), {@code db.commit()}
 * after every write transaction. For {@link Durability#OS}, {@code fileSyncDisable()}, the
 * documented switch to skip syncing; in 3.1.0 {@code strace} still shows one msync (fsync without mmap)
 * per commit with it, so MapDB's OS-only figure is in fact a durable one.
 */
final class MapDbPeer implements PeerStore {

    final DB db;
    final HTreeMap<String, byte[]> map;

    MapDbPeer(Path dir, Durability durability) {
        DBMaker.Maker maker = DBMaker.fileDB(dir.resolve("mapdb.db").toFile())
                .transactionEnable()
                .fileMmapEnableIfSupported();
        if (durability == Durability.OS) {
            maker = maker.fileSyncDisable();
        }
        db = maker.make();
        map = db.hashMap("books", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    }

    @Override
    public Book get(String key) {
        return BookCodec.decode(map.get(key));
    }

    @Override
    public void put(String key, Book value) {
        map.put(key, BookCodec.encode(value));
        db.commit();
    }

    @Override
    public void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        for (int i = from; i < from + count; i++) {
            map.put(keys[i], BookCodec.encode(values[i & mask]));
        }
        db.commit();
    }

    @Override
    public void close() {
        db.close();
    }
}
