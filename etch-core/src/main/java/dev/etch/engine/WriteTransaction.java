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
    /** The key of each op in {@link #ops}, to find a key's earlier op. */
    private final ArrayList<Object> opKeys = new ArrayList<>(4);
    /** Hash of the key in each slot of the index; see {@link #record}. */
    private int[] slotHashes;
    /** Position + 1 in {@link #ops} of the key in each slot; 0 marks a free slot. */
    private int[] slotPositions;
    private boolean durableRequested;
    private Throwable rollbackOnlyCause;
    /** The thread that runs the transaction: the only one that may change its views. */
    private final Thread owner = Thread.currentThread();
    /**
     * Set once the transaction commits or rolls back; its views then refuse changes. Read
     * only on the owner thread (any other is refused first), so it needs no volatile.
     */
    private boolean ended;

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

    /**
     * Adds a change to the ops, or replaces the op of the same key in the same collection
     * where there is one. Keys are indexed by open addressing on their hash: two int arrays
     * grown by doubling from the hashes they keep, with no entry object or boxed position
     * per change and no key touched again when they grow.
     */
    private void record(Object key, Op op) {
        if (ops.isEmpty()) {
            ops.add(op);
            opKeys.add(key);
            return;
        }
        if (slotPositions == null) {
            growIndex(16);
            index(hash(opKeys.get(0), ops.get(0).collection()), 0);
        }
        int hash = hash(key, op.collection());
        int mask = slotPositions.length - 1;
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            int position = slotPositions[slot] - 1;
            if (position < 0) {
                break;
            }
            if (slotHashes[slot] == hash && ops.get(position).collection() == op.collection()
                    && opKeys.get(position).equals(key)) {
                ops.set(position, op);
                return;
            }
        }
        if (2 * (ops.size() + 1) > slotPositions.length) {
            growIndex(slotPositions.length * 2);
        }
        index(hash, ops.size());
        ops.add(op);
        opKeys.add(key);
    }

    private static int hash(Object key, int collection) {
        int h = (key.hashCode() * 31 + collection) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Puts a position into the index; the key is known not to be there. */
    private void index(int hash, int position) {
        int mask = slotPositions.length - 1;
        int slot = hash & mask;
        while (slotPositions[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slotHashes[slot] = hash;
        slotPositions[slot] = position + 1;
    }

    private void growIndex(int capacity) {
        int[] oldHashes = slotHashes;
        int[] oldPositions = slotPositions;
        slotHashes = new int[capacity];
        slotPositions = new int[capacity];
        if (oldPositions != null) {
            for (int slot = 0; slot < oldPositions.length; slot++) {
                if (oldPositions[slot] != 0) {
                    index(oldHashes[slot], oldPositions[slot] - 1);
                }
            }
        }
    }

    /**
     * Ends the transaction for its views: a view kept past the transaction (stored in a field,
     * or handed to another thread) then refuses changes instead of accepting ones that
     * nothing would ever commit.
     */
    void end() {
        ended = true;
    }

    /** Every change to a view passes here first, before the view changes. */
    private void checkChangeAllowed() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("This map belongs to a transaction of thread " + owner.getName() + " and"
                    + " was changed from " + Thread.currentThread().getName() + ". A transaction's maps are not"
                    + " thread-safe, and a change made after the transaction ends would be lost: change them only"
                    + " inside store.write(...), on the thread that runs it.");
        }
        if (ended) {
            throw new IllegalStateException("This map belongs to a transaction that has ended (committed or rolled"
                    + " back), so a change to it would be lost. Make changes inside store.write(...), to the maps"
                    + " of the state that call receives.");
        }
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

    /** Encodes each change into an op and hands it to {@link #record}, which keeps one per key. */
    private final class Recorder<K, V> implements ChangeRecorder<K, V> {
        private final CollectionSchema<K, V> collection;

        Recorder(CollectionSchema<K, V> collection) {
            this.collection = collection;
        }

        @Override
        public void put(K key, V value) {
            checkChangeAllowed();
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
            checkChangeAllowed();
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
    }
}
