package dev.etch.tx;

import dev.etch.persistent.PersistentMap;
import java.util.Objects;

/** The one place where a transaction view records a change, then swaps in the new map. */
final class TxState<K, V> {

    static final String NULL_KEY = "null keys are not allowed";
    static final String NULL_VALUE = "null values are not allowed";

    private final ChangeRecorder<K, V> recorder;
    PersistentMap<K, V> current;
    int modCount;

    TxState(PersistentMap<K, V> base, ChangeRecorder<K, V> recorder) {
        this.current = Objects.requireNonNull(base, "base");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    V put(K key, V value) {
        Objects.requireNonNull(key, NULL_KEY);
        Objects.requireNonNull(value, NULL_VALUE);
        V old = current.get(key);
        recorder.put(key, value);
        current = current.plus(key, value);
        modCount++;
        return old;
    }

    V remove(K key) {
        Objects.requireNonNull(key, NULL_KEY);
        V old = current.get(key);
        if (old == null) {
            return null;
        }
        recorder.remove(key);
        current = current.minus(key);
        modCount++;
        return old;
    }
}
