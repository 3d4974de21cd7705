package dev.etch.persistent;

import java.util.Map;

/**
 * An immutable map whose updates return new maps that share structure with the old one.
 *
 * <p>Guarantees: the map never changes after it is created, so it can be read from any number
 * of threads without locking once it has been safely published; every {@code Map} mutator
 * ({@code put}, {@code remove}, {@code clear}, {@code compute}, ..., and every mutator of its
 * views and iterators) throws {@link UnsupportedOperationException}. Keys and values are never
 * {@code null}: {@link #plus} rejects them with a {@link NullPointerException}; queries with a
 * {@code null} key return {@code null} or {@code false}. {@code equals}, {@code hashCode} and
 * {@code toString} follow the {@link Map} contract, so a persistent map equals a
 * {@link java.util.HashMap} with the same entries.
 *
 * @param <K> the key type; keys must be immutable as far as {@code equals}, {@code hashCode}
 *     and ordering are concerned
 * @param <V> the value type; values should be immutable because snapshots share them
 */
public interface PersistentMap<K, V> extends Map<K, V> {

    /**
     * Returns a map with {@code key} mapped to {@code value} and every other entry unchanged.
     *
     * @param key the key, not {@code null}
     * @param value the value, not {@code null}
     * @return the new map, or {@code this} if {@code key} is already mapped to this very
     *     value object
     * @throws NullPointerException if the key or the value is {@code null}
     * @throws ClassCastException if a sorted map's comparator cannot compare the key
     */
    PersistentMap<K, V> plus(K key, V value);

    /**
     * Returns a map without {@code key} and with every other entry unchanged.
     *
     * @param key the key to remove
     * @return the new map, or {@code this} if the key is absent
     * @throws NullPointerException if the key is {@code null}
     * @throws ClassCastException if a sorted map's comparator cannot compare the key
     */
    PersistentMap<K, V> minus(Object key);

    /**
     * Starts a single-owner builder holding this map's entries. The builder changes only
     * nodes it created itself; this map is never changed.
     *
     * @return a new builder whose content equals this map
     */
    Builder<K, V> toBuilder();

    /**
     * A mutable, single-threaded accumulator of changes to a persistent map, for applying
     * millions of changes without allocating a map per change.
     *
     * <p>Guarantees: {@link #build()} returns a persistent map with the builder's current
     * content; later changes to the builder never affect a map it built nor the map it was
     * made from. Not thread-safe: use it from one thread, and publish the maps it builds
     * safely (through a {@code volatile} field, a lock, or a concurrent collection).
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    interface Builder<K, V> {

        /**
         * Maps {@code key} to {@code value}.
         *
         * @param key the key, not {@code null}
         * @param value the value, not {@code null}
         * @return the previous value, or {@code null} if the key was absent
         * @throws NullPointerException if the key or the value is {@code null}
         */
        V put(K key, V value);

        /**
         * Removes {@code key} if present.
         *
         * @param key the key, not {@code null}
         * @return the removed value, or {@code null} if the key was absent
         * @throws NullPointerException if the key is {@code null}
         */
        V remove(Object key);

        /**
         * Applies a sequence of changes: for each {@code i} below {@code count}, in order,
         * {@code put(keys[i], values[i])}, or {@code remove(keys[i])} where
         * {@code values[i]} is {@code null}. The result is the same as that loop's; an
         * implementation may apply changes to different keys in another order, which is how
         * the hash map's builder makes a large batch into an empty builder cheaper (it
         * assembles the trie bottom-up).
         *
         * <p>For recovery, which replays whole batches of logged operations.
         *
         * @param keys the keys, none {@code null}; not modified
         * @param values the values, {@code null} for a removal; not modified
         * @param count how many leading elements of the arrays to apply
         * @throws NullPointerException if one of the keys is {@code null}; the changes before
         *     it in the implementation's order are applied
         */
        @SuppressWarnings("unchecked")
        default void applyAll(Object[] keys, Object[] values, int count) {
            for (int i = 0; i < count; i++) {
                if (values[i] == null) {
                    remove(keys[i]);
                } else {
                    put((K) keys[i], (V) values[i]);
                }
            }
        }

        /**
         * Looks a key up.
         *
         * @param key the key
         * @return its value, or {@code null} if absent or {@code key} is {@code null}
         */
        V get(Object key);

        /**
         * Counts the entries.
         *
         * @return the number of entries now in the builder
         */
        int size();

        /**
         * Returns a persistent map with the builder's current content, in O(1). The builder
         * stays usable; its later changes copy the nodes that the built map shares.
         *
         * @return the immutable map
         */
        PersistentMap<K, V> build();
    }
}
