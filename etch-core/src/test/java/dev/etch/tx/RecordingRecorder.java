package dev.etch.tx;

import dev.etch.persistent.PersistentMap;
import java.util.ArrayList;
import java.util.List;

/** Records changes in order; can be told to veto the next call, as a failing codec would. */
final class RecordingRecorder<K, V> implements ChangeRecorder<K, V> {

    static final class Veto extends RuntimeException {
        Veto() {
            super("vetoed by the test recorder");
        }
    }

    record Change<K, V>(K key, V value) {}

    final List<Change<K, V>> changes = new ArrayList<>();
    boolean vetoNext;
    int calls;

    @Override
    public void put(K key, V value) {
        check();
        changes.add(new Change<>(key, value));
    }

    @Override
    public void remove(K key) {
        check();
        changes.add(new Change<>(key, null));
    }

    private void check() {
        calls++;
        if (vetoNext) {
            vetoNext = false;
            throw new Veto();
        }
    }

    /** Applies the recorded changes in order to {@code base}; removals must find their key. */
    PersistentMap<K, V> replay(PersistentMap<K, V> base) {
        PersistentMap<K, V> m = base;
        for (Change<K, V> c : changes) {
            if (c.value() == null) {
                if (!m.containsKey(c.key())) {
                    throw new AssertionError("removal of absent key recorded: " + c.key());
                }
                m = m.minus(c.key());
            } else {
                m = m.plus(c.key(), c.value());
            }
        }
        return m;
    }
}
