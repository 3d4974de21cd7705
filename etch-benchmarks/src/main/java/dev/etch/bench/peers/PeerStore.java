package dev.etch.bench.peers;

import dev.etch.bench.Book;

/**
 * The small surface every system in the peer comparison is driven through: open (see
 * {@link Peers#open}), get, put-and-commit, a batch in one commit, close. Implementations must
 * allow concurrent callers (each does what its documentation recommends for that).
 */
public interface PeerStore extends AutoCloseable {

    /** The value for {@code key}, decoded into a {@link Book}, or {@code null}. */
    Book get(String key);

    /** One record in one transaction, committed with this store's durability before returning. */
    void put(String key, Book value);

    /**
     * {@code count} records in one transaction: key {@code keys[from + n]} gets
     * {@code values[(from + n) & (values.length - 1)]} ({@code values.length} is a power of two).
     */
    void putBatch(String[] keys, Book[] values, int from, int count);

    @Override
    void close();
}
