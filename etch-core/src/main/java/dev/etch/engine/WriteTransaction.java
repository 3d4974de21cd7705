package dev.etch.engine;

import dev.etch.EtchCodecException;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import dev.etch.schema.CollectionSchema;
import dev.etch.schema.StateSchema;
import dev.etch.tx.ChangeRecorder;
import dev.etch.tx.TxMap;
import dev.etch.tx.TxNavigableMap;
import dev.etch.wal.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state as one write transaction sees it: a record of transaction views over the
 * version it started from, and the log operations its changes produce.
 *
 * <p>Keys and values are encoded at the moment of each change, so a value the codec cannot
 * write fails the very {@code put} that offered it, before the view changes. A key changed
 * several times yields one operation, its last, at the position of its first change.
 *
 * @param <T> the state type
 */
final class WriteTransaction<T> {

    private final StateSchema<T> schema;
    private final Map<?, ?>[] views;
    private final T view;
    private final ArrayList<Op> ops = new ArrayList<>(4);
    private boolean durableRequested;
    private Throwable rollbackOnlyCause;

    WriteTransaction(StateSchema<T> schema, Version<T> base) {
        this.schema = schema;
        List<CollectionSchema<?, ?>> collections = schema.collections();
        this.views = new Map<?, ?>[collections.size()];
        for (CollectionSchema<?, ?> c : collections) {
            views[c.index()] = newView(c, base.maps()[c.index()]);
        }
        this.view = schema.newState(views);
    }

    @SuppressWarnings("unchecked")
    private <K, V> Map<K, V> newView(CollectionSchema<K, V> collection, Object base) {
        Recorder<K, V> recorder = new Recorder<>(collection);
        return collection.sorted()
                ? new TxNavigableMap<>((PersistentTreeMap<K, V>) base, recorder)
                : new TxMap<>((PersistentMap<K, V>) base, recorder);
    }

    /** The mutable state record handed to the user's function. */
    T view() {
        return view;
    }

    /** The operations to log, in order of first change; empty if nothing changed. */
    List<Op> ops() {
        return ops;
    }

    /** Marks the transaction as one whose commit must be fsynced whatever the policy. */
    void requireDurable() {
        durableRequested = true;
    }

    boolean durableRequested() {
        return durableRequested;
    }

    /** Marks the transaction so that it can only roll back: a joined write failed inside it. */
    void markRollbackOnly(Throwable cause) {
        if (rollbackOnlyCause == null) {
            rollbackOnlyCause = cause;
        }
    }

    /** Why the transaction can only roll back, or {@code null}. */
    Throwable rollbackOnlyCause() {
        return rollbackOnlyCause;
    }

    /** The persistent maps as the transaction has left them, as a new version. */
    Version<T> toVersion() {
        Object[] maps = new Object[views.length];
        for (int i = 0; i < views.length; i++) {
            maps[i] = current(views[i]);
        }
        return new Version<>(schema.newState(maps), maps);
    }

    private static Object current(Map<?, ?> view) {
        return view instanceof TxNavigableMap<?, ?> sorted ? sorted.current() : ((TxMap<?, ?>) view).current();
    }

    /** Records each change as an op, keeping one op per key. */
    private final class Recorder<K, V> implements ChangeRecorder<K, V> {
        private final CollectionSchema<K, V> collection;
        private K firstKey;
        private int firstPosition = -1;
        private HashMap<K, Integer> positions;

        Recorder(CollectionSchema<K, V> collection) {
            this.collection = collection;
        }

        @Override
        public void put(K key, V value) {
            byte[] keyBytes = encodeKey(key);
            byte[] valueBytes;
            try {
                valueBytes = collection.values().encode(value);
            } catch (RuntimeException e) {
                throw new EtchCodecException("Cannot encode the value for key " + key + " in "
                        + collection.describe() + " (" + value.getClass().getName() + "): " + e.getMessage()
                        + ". The transaction was discarded; make the value serializable by the store's value codec.",
                        e);
            }
            record(key, Op.put(collection.id(), keyBytes, valueBytes));
        }

        @Override
        public void remove(K key) {
            record(key, Op.delete(collection.id(), encodeKey(key)));
        }

        private byte[] encodeKey(K key) {
            try {
                return collection.keys().encode(key);
            } catch (NullPointerException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EtchCodecException("Cannot encode key " + key + " of " + collection.describe() + ": "
                        + e.getMessage(), e);
            }
        }

        private void record(K key, Op op) {
            if (positions == null) {
                if (firstPosition < 0) {
                    firstKey = key;
                    firstPosition = ops.size();
                    ops.add(op);
                    return;
                }
                if (firstKey.equals(key)) {
                    ops.set(firstPosition, op);
                    return;
                }
                positions = new HashMap<>();
                positions.put(firstKey, firstPosition);
            }
            Integer position = positions.putIfAbsent(key, ops.size());
            if (position == null) {
                ops.add(op);
            } else {
                ops.set(position, op);
            }
        }
    }
}
