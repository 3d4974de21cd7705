package dev.etch.tx;

import dev.etch.persistent.PersistentMap;
import java.util.Objects;

/** The one place where a transaction view records a change, then swaps in the new map. */
final class TxState<K, V> {

    static final String NULL_KEY = "null keys are not allowed";
    static final String NULL_VALUE = "null values are not allowed";

    private final ChangeRecorder<K, V> recorder;
    /** The map as of the last freeze; what iterators and views read. */
    private PersistentMap<K, V> frozen;
    /**
     * Edits nodes it created in place, so a transaction that changes many keys copies each
     * path once, not once per change. Created at the first change.
     */
    private PersistentMap.Builder<K, V> builder;
    /** Whether the builder holds changes that {@link #frozen} does not. */
    private boolean dirty;
    int modCount;

    TxState(PersistentMap<K, V> base, ChangeRecorder<K, V> recorder) {
        this.frozen = Objects.requireNonNull(base, "base");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /** The map as the transaction has left it, as an immutable map (O(1)). */
    PersistentMap<K, V> current() {
        if (dirty) {
            frozen = builder.build();
            dirty = false;
        }
        return frozen;
    }

    V get(Object key) {
        return dirty ? builder.get(key) : frozen.get(key);
    }

    boolean containsKey(Object key) {
        return key != null && get(key) != null;
    }

    V put(K key, V value) {
        Objects.requireNonNull(key, NULL_KEY);
        Objects.requireNonNull(value, NULL_VALUE);
        // Recorded (and so encoded) first: a value the codec cannot write changes nothing.
        // The builder's put then finds the previous value on its one way down the trie.
        recorder.put(key, value);
        V old = editor().put(key, value);
        dirty = true;
        modCount++;
        return old;
    }

    V remove(K key) {
        Objects.requireNonNull(key, NULL_KEY);
        V old = get(key);
        if (old == null) {
            return null;
        }
        recorder.remove(key);
        editor().remove(key);
        dirty = true;
        modCount++;
        return old;
    }

    private PersistentMap.Builder<K, V> editor() {
        if (builder == null) {
            builder = frozen.toBuilder();
        }
        return builder;
    }
}
