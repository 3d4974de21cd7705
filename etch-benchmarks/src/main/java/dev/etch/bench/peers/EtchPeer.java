package dev.etch.bench.peers;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.bench.Book;
import dev.etch.bench.Library;
import java.nio.file.Path;
import java.util.Map;

/**
 * Etch: a directory-backed store of {@link Library}; {@link FlushPolicy#immediate()} for
 * {@link Durability#SYNC} (each write returns after its log entry is fsynced, concurrent writers
 * share fsyncs), {@link FlushPolicy#none()} for {@link Durability#OS}.
 */
final class EtchPeer implements PeerStore {

    final EtchStore<Library> store;

    EtchPeer(Path dir, Durability durability) {
        store = EtchStore.builder(Library.class)
                .directory(dir)
                .flushPolicy(durability == Durability.SYNC ? FlushPolicy.immediate() : FlushPolicy.none())
                .open();
    }

    @Override
    public Book get(String key) {
        return store.read().books().get(key);
    }

    @Override
    public void put(String key, Book value) {
        store.write(lib -> lib.books().put(key, value));
    }

    @Override
    public void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        store.write(lib -> {
            Map<String, Book> books = lib.books();
            for (int i = from; i < from + count; i++) {
                books.put(keys[i], values[i & mask]);
            }
        });
    }

    @Override
    public void close() {
        store.close();
    }
}
