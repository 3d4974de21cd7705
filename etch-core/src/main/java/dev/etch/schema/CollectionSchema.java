package dev.etch.schema;

import dev.etch.ValueCodec;
import dev.etch.codec.KeyCodec;
import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;

/**
 * One collection of a state type: its id, its place in the record, how its keys and values
 * are encoded, and whether it is sorted.
 *
 * @param id the collection id written into the log
 * @param index the component's position in the record (the order of the canonical constructor)
 * @param name the record component's name
 * @param owner the simple name of the state type, for messages
 * @param sorted whether the component is a {@code SortedMap}/{@code NavigableMap}
 * @param keys the key codec
 * @param values the value codec bound to the declared value type
 * @param <K> the key type
 * @param <V> the value type
 */
public record CollectionSchema<K, V>(
        int id,
        int index,
        String name,
        String owner,
        boolean sorted,
        KeyCodec<K> keys,
        ValueCodec.Binding<V> values) {

    /**
     * An empty map of the right kind for this collection.
     *
     * @return an empty hash map, or an empty tree map ordered by the key codec
     */
    public PersistentMap<K, V> emptyMap() {
        return sorted ? PersistentTreeMap.empty(keys.comparator()) : PersistentHashMap.empty();
    }

    /**
     * How messages name this collection, e.g. {@code Library.books (collection 0)}.
     *
     * @return a human-readable reference
     */
    public String describe() {
        return owner + "." + name + " (collection " + id + ")";
    }
}
