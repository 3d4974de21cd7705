package dev.etch.tx;

import dev.etch.persistent.PersistentMap;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The mutable map a write transaction sees: a persistent map replaced on every change.
 *
 * <p>Guarantees: the whole {@link Map} contract with read-your-writes, including views whose
 * iterators support {@code remove} and whose entries support {@code setValue}. Every change
 * is first reported to the {@link ChangeRecorder} ({@code put} for every put-like change,
 * {@code remove} for every removal of a present key); if the recorder throws, that change is
 * not applied and the exception propagates unchanged. Bulk operations ({@code putAll},
 * {@code clear}, {@code replaceAll}, {@code removeIf}, ...) apply and record one key at a
 * time, so after a failure the keys before the failing one are changed and recorded.
 * {@link #current()} is always the result of applying the recorded changes, in order, to the
 * base map; the base map itself never changes. Keys and values are never {@code null}
 * ({@link NullPointerException}; a compute or merge function returning {@code null} removes
 * the key, as the {@code Map} contract says). Iterators walk the map as it was when they were
 * created and throw {@link ConcurrentModificationException} on their next step once the map
 * was changed other than through them. Not thread-safe: one transaction, one thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class TxMap<K, V> extends AbstractMap<K, V> implements Map<K, V> {

    private final TxState<K, V> state;

    /**
     * A view that starts as {@code base} and reports its changes to {@code recorder}.
     *
     * @param base the committed map the transaction starts from; never changed
     * @param recorder told of every change before it is applied
     * @throws NullPointerException if either argument is {@code null}
     */
    public TxMap(PersistentMap<K, V> base, ChangeRecorder<K, V> recorder) {
        this.state = new TxState<>(base, recorder);
    }

    /**
     * The map as changed so far by this transaction.
     *
     * @return an immutable map: the base with every applied change
     */
    public PersistentMap<K, V> current() {
        return state.current();
    }

    @Override
    public int size() {
        return state.current().size();
    }

    @Override
    public boolean isEmpty() {
        return state.current().isEmpty();
    }

    @Override
    public V get(Object key) {
        return state.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return state.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return state.current().containsValue(value);
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V value = state.get(key);
        return value != null ? value : defaultValue;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        state.current().forEach(action);
    }

    @Override
    public V put(K key, V value) {
        return state.put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (key == null || !state.containsKey(key)) {
            return null;
        }
        return state.remove((K) key);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        m.forEach(state::put);
    }

    @Override
    public void clear() {
        for (K k : state.current().keySet()) {
            state.remove(k);
        }
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        for (Entry<K, V> e : state.current().entrySet()) {
            state.put(e.getKey(), Objects.requireNonNull(function.apply(e.getKey(), e.getValue()), TxState.NULL_VALUE));
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, TxState.NULL_KEY);
        Objects.requireNonNull(value, TxState.NULL_VALUE);
        return super.putIfAbsent(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(newValue, TxState.NULL_VALUE);
        return super.replace(key, oldValue, newValue);
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(value, TxState.NULL_VALUE);
        return super.replace(key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(key, TxState.NULL_KEY);
        return super.computeIfAbsent(key, mappingFunction);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, TxState.NULL_KEY);
        return super.computeIfPresent(key, remappingFunction);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, TxState.NULL_KEY);
        return super.compute(key, remappingFunction);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, TxState.NULL_KEY);
        return super.merge(key, value, remappingFunction);
    }

    /** Fail-fast iterator over the map as it was at creation; writes go through the view. */
    private abstract class Itr<T> implements Iterator<T> {
        private final Iterator<Entry<K, V>> entries = state.current().entrySet().iterator();
        int expectedModCount = state.modCount;
        private K last;

        @Override
        public final boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public final T next() {
            if (state.modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (!entries.hasNext()) {
                throw new NoSuchElementException();
            }
            Entry<K, V> e = entries.next();
            last = e.getKey();
            return make(e.getKey(), e.getValue());
        }

        abstract T make(K key, V value);

        @Override
        public final void remove() {
            if (last == null) {
                throw new IllegalStateException("next() not called, or remove() already called");
            }
            if (state.modCount != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            state.remove(last);
            last = null;
            expectedModCount = state.modCount;
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Itr<>() {
                    @Override
                    Entry<K, V> make(K key, V value) {
                        return new SimpleEntry<>(key, value) {
                            @Override
                            public V setValue(V v) {
                                state.put(key, v);
                                expectedModCount = state.modCount;
                                return super.setValue(v);
                            }
                        };
                    }
                };
            }

            @Override
            public int size() {
                return TxMap.this.size();
            }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Entry<?, ?> e)) {
                    return false;
                }
                V v = get(e.getKey());
                return v != null && v.equals(e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                if (!contains(o)) {
                    return false;
                }
                TxMap.this.remove(((Entry<?, ?>) o).getKey());
                return true;
            }

            @Override
            public void clear() {
                TxMap.this.clear();
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<K> iterator() {
                return new Itr<>() {
                    @Override
                    K make(K key, V value) {
                        return key;
                    }
                };
            }

            @Override
            public int size() {
                return TxMap.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }

            @Override
            public boolean remove(Object o) {
                return TxMap.this.remove(o) != null;
            }

            @Override
            public void clear() {
                TxMap.this.clear();
            }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Itr<>() {
                    @Override
                    V make(K key, V value) {
                        return value;
                    }
                };
            }

            @Override
            public int size() {
                return TxMap.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return containsValue(o);
            }

            @Override
            public void clear() {
                TxMap.this.clear();
            }
        };
    }
}
