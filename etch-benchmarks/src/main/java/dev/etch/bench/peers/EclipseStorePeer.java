package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.serializer.collections.lazy.LazyHashMap;
import org.eclipse.store.storage.embedded.types.EmbeddedStorage;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;

/**
 * EclipseStore: the root is a {@link LazyHashMap} of {@link Book} records (its documented choice
 * for large maps: segments, so a store writes only the changed segments), and every write
 * transaction mutates the map and calls {@code storageManager.store(map)} under one lock, as its
 * documentation requires for multi-threaded use; readers take the read side of the lock.
 *
 * <p>EclipseStore 2.1.3 (the newest on Maven Central here) writes a store with {@code write()} and
 * never fsyncs ({@code strace -f -c} of a run shows no fsync, fdatasync or msync), so it offers
 * only {@link Durability#OS}; asking for {@link Durability#SYNC} fails rather than pretend.
 */
final class EclipseStorePeer implements PeerStore {

    final EmbeddedStorageManager storage;
    final LazyHashMap<String, Book> books;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @SuppressWarnings("unchecked")
    EclipseStorePeer(Path dir, Durability durability) {
        if (durability != Durability.OS) {
            throw new IllegalArgumentException("EclipseStore 2.1.3 does not fsync a store");
        }
        storage = EmbeddedStorage.start(dir);
        if (storage.root() == null) {
            storage.setRoot(new LazyHashMap<String, Book>());
            storage.storeRoot();
        }
        books = (LazyHashMap<String, Book>) storage.root();
    }

    @Override
    public Book get(String key) {
        lock.readLock().lock();
        try {
            return books.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void put(String key, Book value) {
        lock.writeLock().lock();
        try {
            books.put(key, value);
            storage.store(books);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        lock.writeLock().lock();
        try {
            for (int i = from; i < from + count; i++) {
                books.put(keys[i], values[i & mask]);
            }
            storage.store(books);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        storage.shutdown();
    }
}
