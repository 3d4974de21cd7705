package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2 MVStore (the key-value engine under H2, used directly): one file, auto-commit disabled, a
 * {@code MVMap<String, byte[]>} ({@link BookCodec} values), {@code commit()} after every write
 * transaction and, for {@link Durability#SYNC}, {@code sync()} after it (MVStore's commit writes
 * the chunk to the file but does not fsync; {@code sync()} forces it to disk). 256 MB page cache
 * so the 1M-record data set fits in it.
 */
final class H2Peer implements PeerStore {

    final MVStore store;
    final MVMap<String, byte[]> map;
    final boolean sync;

    H2Peer(Path dir, Durability durability) {
        store = new MVStore.Builder()
                .fileName(dir.resolve("h2.mv.db").toString())
                .autoCommitDisabled()
                .cacheSize(256)
                .open();
        map = store.openMap("books");
        sync = durability == Durability.SYNC;
    }

    @Override
    public Book get(String key) {
        return BookCodec.decode(map.get(key));
    }

    @Override
    public void put(String key, Book value) {
        map.put(key, BookCodec.encode(value));
        commit();
    }

    @Override
    public void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        for (int i = from; i < from + count; i++) {
            map.put(keys[i], BookCodec.encode(values[i & mask]));
        }
        commit();
    }

    private void commit() {
        store.commit();
        if (sync) {
            store.sync();
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
