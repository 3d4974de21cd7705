package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;

/**
 * Chronicle Map persisted to a file ({@code createPersistedTo}): an off-heap hash map in a
 * memory-mapped file, {@code byte[]} ({@link BookCodec}) values. Every put is visible in the
 * mapped file at once and survives a process crash; Chronicle Map has no transactions and no
 * fsync, so it takes part only at {@link Durability#OS}. It must be sized up front
 * ({@code entries}).
 */
final class ChroniclePeer implements PeerStore {

    final ChronicleMap<String, byte[]> map;

    ChroniclePeer(Path dir, Durability durability, long maxEntries) {
        if (durability != Durability.OS) {
            throw new IllegalArgumentException("Chronicle Map has no fsync'd commit");
        }
        try {
            map = ChronicleMap.of(String.class, byte[].class)
                    .name("books")
                    .entries(Math.max(1_000, maxEntries))
                    .averageKey("isbn-000000")
                    .averageValue(BookCodec.encode(Book.of(123_456)))
                    .createPersistedTo(dir.resolve("books.cm").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Book get(String key) {
        return BookCodec.decode(map.get(key));
    }

    @Override
    public void put(String key, Book value) {
        map.put(key, BookCodec.encode(value));
    }

    @Override
    public void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        for (int i = from; i < from + count; i++) {
            map.put(keys[i], BookCodec.encode(values[i & mask]));
        }
    }

    @Override
    public void close() {
        map.close();
    }
}
