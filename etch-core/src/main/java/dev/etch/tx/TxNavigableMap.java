package dev.etch.tx;

import dev.etch.persistent.NavigableMapView;
import dev.etch.persistent.PersistentTreeMap;
import java.util.NavigableMap;

/**
 * The mutable sorted map a write transaction sees: a {@link PersistentTreeMap} replaced on
 * every change.
 *
 * <p>Guarantees: everything {@link TxMap} guarantees (recording before applying, vetoes
 * leave the map unchanged, read-your-writes, fail-fast iterators, no {@code null}s), plus
 * the whole {@link NavigableMap} contract with {@link java.util.TreeMap}'s semantics:
 * iteration in key order, {@code pollFirstEntry}/{@code pollLastEntry}, and writable range
 * and descending views ({@code subMap}, {@code headMap}, {@code tailMap},
 * {@code descendingMap}, {@code navigableKeySet}, {@code descendingKeySet}) whose writes are
 * recorded like the map's own and which reject keys outside their range with
 * {@link IllegalArgumentException}. Not thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class TxNavigableMap<K, V> extends NavigableMapView<K, V> {

    /**
     * A view that starts as {@code base} and reports its changes to {@code recorder}.
     *
     * @param base the committed map the transaction starts from; never changed
     * @param recorder told of every change before it is applied
     * @throws NullPointerException if either argument is {@code null}
     */
    public TxNavigableMap(PersistentTreeMap<K, V> base, ChangeRecorder<K, V> recorder) {
        super(new TxSource<>(new TxState<>(base, recorder)), base.comparator());
    }

    /**
     * The map as changed so far by this transaction.
     *
     * @return an immutable sorted map: the base with every applied change
     */
    public PersistentTreeMap<K, V> current() {
        return source().map();
    }

    private record TxSource<K, V>(TxState<K, V> state) implements NavigableMapView.Source<K, V> {

        @Override
        public PersistentTreeMap<K, V> map() {
            return (PersistentTreeMap<K, V>) state.current();
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public V put(K key, V value) {
            return state.put(key, value);
        }

        @Override
        public V remove(K key) {
            return state.remove(key);
        }

        @Override
        public int modCount() {
            return state.modCount;
        }
    }
}
