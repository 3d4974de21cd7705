package dev.etch.persistent;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link NavigableMap} over the entries of a {@link PersistentTreeMap} that lie within a key
 * range, in ascending or descending order: the one implementation behind the range and
 * descending views of {@link PersistentTreeMap} (read-only) and of the transaction's sorted
 * map (writable).
 *
 * <p>Guarantees: reads always see the source's current map; every method follows
 * {@link java.util.TreeMap}'s sub-map semantics: {@code put} of a key outside the range and
 * the creation of a sub-view with a bound outside it throw
 * {@link IllegalArgumentException}; {@code get}, {@code remove} and navigation outside the
 * range answer as if the key were absent; {@code firstKey}/{@code lastKey} throw
 * {@link NoSuchElementException} when the range is empty. Writes, on a writable source, go
 * through {@link Source#put} and {@link Source#remove}; on a read-only source every mutator
 * throws {@link UnsupportedOperationException}. Iterators walk the map as it was when they
 * were created and throw {@link ConcurrentModificationException} on their next step once the
 * source changed other than through them. Keys and values are never {@code null}
 * ({@link NullPointerException}). Not thread-safe when writable.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class NavigableMapView<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V> {

    /**
     * Where a view reads its current map and sends its writes.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public interface Source<K, V> {

        /**
         * The current map.
         *
         * @return the map the views read now
         */
        PersistentTreeMap<K, V> map();

        /**
         * Whether {@link #put} and {@link #remove} may be called.
         *
         * @return {@code false} if every mutation must throw {@link UnsupportedOperationException}
         */
        boolean writable();

        /**
         * Maps a key to a value in the current map.
         *
         * @param key the key, not {@code null}
         * @param value the value, not {@code null}
         * @return the previous value, or {@code null}
         * @throws UnsupportedOperationException if the source is read-only
         * @throws RuntimeException whatever recording the change throws; nothing is changed
         */
        V put(K key, V value);

        /**
         * Removes a key from the current map.
         *
         * @param key the key, not {@code null}
         * @return the removed value, or {@code null} if the key was absent (nothing changes)
         * @throws UnsupportedOperationException if the source is read-only
         * @throws RuntimeException whatever recording the change throws; nothing is changed
         */
        V remove(K key);

        /**
         * A counter that changes on every change of the current map, for fail-fast iterators.
         *
         * @return the counter
         */
        int modCount();
    }

    private final Source<K, V> source;
    private final Comparator<Object> cmp;
    private final boolean hasLo;
    private final K lo;
    private final boolean loInclusive;
    private final boolean hasHi;
    private final K hi;
    private final boolean hiInclusive;
    private final boolean descending;

    /**
     * An unbounded, ascending view of a source.
     *
     * @param source where the view reads and writes
     * @param cmp the source map's comparator
     * @throws NullPointerException if either argument is {@code null}
     */
    public NavigableMapView(Source<K, V> source, Comparator<? super K> cmp) {
        this(source, cmp, false, null, false, false, null, false, false);
    }

    @SuppressWarnings("unchecked")
    private NavigableMapView(
            Source<K, V> source, Comparator<? super K> cmp,
            boolean hasLo, K lo, boolean loInclusive,
            boolean hasHi, K hi, boolean hiInclusive, boolean descending) {
        this.source = Objects.requireNonNull(source, "source");
        this.cmp = (Comparator<Object>) Objects.requireNonNull(cmp, "comparator");
        if (hasLo && hasHi) {
            if (this.cmp.compare(lo, hi) > 0) {
                throw new IllegalArgumentException("fromKey > toKey");
            }
        } else if (hasLo) {
            this.cmp.compare(lo, lo);
        } else if (hasHi) {
            this.cmp.compare(hi, hi);
        }
        this.hasLo = hasLo;
        this.lo = lo;
        this.loInclusive = loInclusive;
        this.hasHi = hasHi;
        this.hi = hi;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    /**
     * The source this view reads and writes.
     *
     * @return the source given at construction
     */
    protected final Source<K, V> source() {
        return source;
    }

    // ---- range arithmetic (absolute, i.e. ascending, terms) -------------------------------

    private boolean tooLow(Object key) {
        if (hasLo) {
            int c = cmp.compare(key, lo);
            return c < 0 || (c == 0 && !loInclusive);
        }
        return false;
    }

    private boolean tooHigh(Object key) {
        if (hasHi) {
            int c = cmp.compare(key, hi);
            return c > 0 || (c == 0 && !hiInclusive);
        }
        return false;
    }

    private boolean inRange(Object key) {
        return !tooLow(key) && !tooHigh(key);
    }

    private boolean inClosedRange(Object key) {
        return (!hasLo || cmp.compare(key, lo) >= 0) && (!hasHi || cmp.compare(hi, key) >= 0);
    }

    private boolean inRange(Object key, boolean inclusive) {
        return inclusive ? inRange(key) : inClosedRange(key);
    }

    private Entry<K, V> absLowest() {
        PersistentTreeMap<K, V> m = source.map();
        Entry<K, V> e = !hasLo ? m.firstEntry() : loInclusive ? m.ceilingEntry(lo) : m.higherEntry(lo);
        return e == null || tooHigh(e.getKey()) ? null : e;
    }

    private Entry<K, V> absHighest() {
        PersistentTreeMap<K, V> m = source.map();
        Entry<K, V> e = !hasHi ? m.lastEntry() : hiInclusive ? m.floorEntry(hi) : m.lowerEntry(hi);
        return e == null || tooLow(e.getKey()) ? null : e;
    }

    private Entry<K, V> absCeiling(K key) {
        if (tooLow(key)) {
            return absLowest();
        }
        Entry<K, V> e = source.map().ceilingEntry(key);
        return e == null || tooHigh(e.getKey()) ? null : e;
    }

    private Entry<K, V> absHigher(K key) {
        if (tooLow(key)) {
            return absLowest();
        }
        Entry<K, V> e = source.map().higherEntry(key);
        return e == null || tooHigh(e.getKey()) ? null : e;
    }

    private Entry<K, V> absFloor(K key) {
        if (tooHigh(key)) {
            return absHighest();
        }
        Entry<K, V> e = source.map().floorEntry(key);
        return e == null || tooLow(e.getKey()) ? null : e;
    }

    private Entry<K, V> absLower(K key) {
        if (tooHigh(key)) {
            return absHighest();
        }
        Entry<K, V> e = source.map().lowerEntry(key);
        return e == null || tooLow(e.getKey()) ? null : e;
    }

    private boolean unbounded() {
        return !hasLo && !hasHi;
    }

    private void checkWritable() {
        if (!source.writable()) {
            throw ImmutableMapBase.immutable();
        }
    }

    // ---- Map -----------------------------------------------------------------------------

    @Override
    public int size() {
        if (unbounded()) {
            return source.map().size();
        }
        int n = 0;
        for (Cursor c = new Cursor(); c.has; c.advance()) {
            n++;
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return unbounded() ? source.map().isEmpty() : absLowest() == null;
    }

    @Override
    public V get(Object key) {
        return key == null || !inRange(key) ? null : source.map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public boolean containsValue(Object value) {
        if (value == null) {
            return false;
        }
        for (Cursor c = new Cursor(); c.has; c.advance()) {
            if (value.equals(c.tree.value())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public V put(K key, V value) {
        checkWritable();
        Objects.requireNonNull(key, ImmutableMapBase.NULL_KEY);
        Objects.requireNonNull(value, ImmutableMapBase.NULL_VALUE);
        if (!inRange(key)) {
            throw new IllegalArgumentException("key out of range");
        }
        return source.put(key, value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        checkWritable();
        if (key == null || !inRange(key) || !source.map().containsKey(key)) {
            return null;
        }
        return source.remove((K) key);
    }

    @Override
    public void clear() {
        checkWritable();
        for (Cursor c = new Cursor(); c.has; c.advance()) {
            source.remove(c.key());
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        checkWritable();
        return super.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        checkWritable();
        return super.remove(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkWritable();
        Objects.requireNonNull(newValue, ImmutableMapBase.NULL_VALUE);
        return super.replace(key, oldValue, newValue);
    }

    @Override
    public V replace(K key, V value) {
        checkWritable();
        Objects.requireNonNull(value, ImmutableMapBase.NULL_VALUE);
        return super.replace(key, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        checkWritable();
        Objects.requireNonNull(key, ImmutableMapBase.NULL_KEY);
        return super.computeIfAbsent(key, mappingFunction);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        checkWritable();
        Objects.requireNonNull(key, ImmutableMapBase.NULL_KEY);
        return super.computeIfPresent(key, remappingFunction);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        checkWritable();
        Objects.requireNonNull(key, ImmutableMapBase.NULL_KEY);
        return super.compute(key, remappingFunction);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        checkWritable();
        Objects.requireNonNull(key, ImmutableMapBase.NULL_KEY);
        return super.merge(key, value, remappingFunction);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        checkWritable();
        Objects.requireNonNull(function);
        for (Cursor c = new Cursor(); c.has; c.advance()) {
            K k = c.key();
            V v = function.apply(k, (V) c.tree.value());
            source.put(k, Objects.requireNonNull(v, ImmutableMapBase.NULL_VALUE));
        }
    }

    // ---- SortedMap / NavigableMap --------------------------------------------------------

    @Override
    public Comparator<? super K> comparator() {
        return descending ? Collections.reverseOrder(cmp) : cmp;
    }

    private static <K> K keyOrNull(Entry<K, ?> e) {
        return e == null ? null : e.getKey();
    }

    private static <K> K keyOrThrow(Entry<K, ?> e) {
        if (e == null) {
            throw new NoSuchElementException("the map is empty");
        }
        return e.getKey();
    }

    @Override
    public Entry<K, V> firstEntry() {
        return descending ? absHighest() : absLowest();
    }

    @Override
    public Entry<K, V> lastEntry() {
        return descending ? absLowest() : absHighest();
    }

    @Override
    public K firstKey() {
        return keyOrThrow(firstEntry());
    }

    @Override
    public K lastKey() {
        return keyOrThrow(lastEntry());
    }

    @Override
    public Entry<K, V> pollFirstEntry() {
        return poll(firstEntry());
    }

    @Override
    public Entry<K, V> pollLastEntry() {
        return poll(lastEntry());
    }

    private Entry<K, V> poll(Entry<K, V> e) {
        checkWritable();
        if (e != null) {
            source.remove(e.getKey());
        }
        return e;
    }

    @Override
    public Entry<K, V> lowerEntry(K key) {
        return descending ? absHigher(key) : absLower(key);
    }

    @Override
    public K lowerKey(K key) {
        return keyOrNull(lowerEntry(key));
    }

    @Override
    public Entry<K, V> floorEntry(K key) {
        return descending ? absCeiling(key) : absFloor(key);
    }

    @Override
    public K floorKey(K key) {
        return keyOrNull(floorEntry(key));
    }

    @Override
    public Entry<K, V> ceilingEntry(K key) {
        return descending ? absFloor(key) : absCeiling(key);
    }

    @Override
    public K ceilingKey(K key) {
        return keyOrNull(ceilingEntry(key));
    }

    @Override
    public Entry<K, V> higherEntry(K key) {
        return descending ? absLower(key) : absHigher(key);
    }

    @Override
    public K higherKey(K key) {
        return keyOrNull(higherEntry(key));
    }

    @Override
    public NavigableMap<K, V> descendingMap() {
        return new NavigableMapView<>(source, cmp, hasLo, lo, loInclusive, hasHi, hi, hiInclusive, !descending);
    }

    @Override
    public NavigableSet<K> navigableKeySet() {
        return new KeySet<>(this);
    }

    @Override
    public NavigableSet<K> keySet() {
        return navigableKeySet();
    }

    @Override
    public NavigableSet<K> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
        Objects.requireNonNull(fromKey, ImmutableMapBase.NULL_KEY);
        Objects.requireNonNull(toKey, ImmutableMapBase.NULL_KEY);
        if (!inRange(fromKey, fromInclusive)) {
            throw new IllegalArgumentException("fromKey out of range");
        }
        if (!inRange(toKey, toInclusive)) {
            throw new IllegalArgumentException("toKey out of range");
        }
        return descending
                ? new NavigableMapView<>(source, cmp, true, toKey, toInclusive, true, fromKey, fromInclusive, true)
                : new NavigableMapView<>(source, cmp, true, fromKey, fromInclusive, true, toKey, toInclusive, false);
    }

    @Override
    public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
        Objects.requireNonNull(toKey, ImmutableMapBase.NULL_KEY);
        if (!inRange(toKey, inclusive)) {
            throw new IllegalArgumentException("toKey out of range");
        }
        return descending
                ? new NavigableMapView<>(source, cmp, true, toKey, inclusive, hasHi, hi, hiInclusive, true)
                : new NavigableMapView<>(source, cmp, hasLo, lo, loInclusive, true, toKey, inclusive, false);
    }

    @Override
    public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
        Objects.requireNonNull(fromKey, ImmutableMapBase.NULL_KEY);
        if (!inRange(fromKey, inclusive)) {
            throw new IllegalArgumentException("fromKey out of range");
        }
        return descending
                ? new NavigableMapView<>(source, cmp, hasLo, lo, loInclusive, true, fromKey, inclusive, true)
                : new NavigableMapView<>(source, cmp, true, fromKey, inclusive, hasHi, hi, hiInclusive, false);
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        return headMap(toKey, false);
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        return tailMap(fromKey, true);
    }

    // ---- iteration -----------------------------------------------------------------------

    /** Walks the range of the map as it is now, in this view's order. */
    private final class Cursor {
        final PersistentTreeMap.Cursor tree;
        boolean has;

        Cursor() {
            PersistentTreeMap<K, V> m = source.map();
            tree = descending
                    ? new PersistentTreeMap.Cursor(m, hi, hiInclusive, hasHi, true)
                    : new PersistentTreeMap.Cursor(m, lo, loInclusive, hasLo, false);
            check();
        }

        void advance() {
            tree.advance();
            check();
        }

        private void check() {
            has = tree.valid() && !(descending ? tooLow(tree.key()) : tooHigh(tree.key()));
        }

        @SuppressWarnings("unchecked")
        K key() {
            return (K) tree.key();
        }
    }

    /** Fail-fast iterator whose remove and entries' setValue write through this view. */
    private abstract class Itr<T> implements Iterator<T> {
        private final Cursor cursor = new Cursor();
        int expectedModCount = source.modCount();
        private K last;

        @Override
        public final boolean hasNext() {
            return cursor.has;
        }

        @Override
        @SuppressWarnings("unchecked")
        public final T next() {
            if (source.modCount() != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            if (!cursor.has) {
                throw new NoSuchElementException();
            }
            K k = cursor.key();
            V v = (V) cursor.tree.value();
            cursor.advance();
            last = k;
            return make(k, v);
        }

        abstract T make(K key, V value);

        @Override
        public final void remove() {
            checkWritable();
            if (last == null) {
                throw new IllegalStateException("next() not called, or remove() already called");
            }
            if (source.modCount() != expectedModCount) {
                throw new ConcurrentModificationException();
            }
            source.remove(last);
            last = null;
            expectedModCount = source.modCount();
        }
    }

    private final class EntryItr extends Itr<Entry<K, V>> {
        @Override
        Entry<K, V> make(K key, V value) {
            if (!source.writable()) {
                return new SimpleImmutableEntry<>(key, value);
            }
            return new SimpleEntry<>(key, value) {
                @Override
                public V setValue(V v) {
                    Objects.requireNonNull(v, ImmutableMapBase.NULL_VALUE);
                    source.put(key, v);
                    expectedModCount = source.modCount();
                    return super.setValue(v);
                }
            };
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new EntryItr();
            }

            @Override
            public int size() {
                return NavigableMapView.this.size();
            }

            @Override
            public boolean isEmpty() {
                return NavigableMapView.this.isEmpty();
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
                checkWritable();
                if (!contains(o)) {
                    return false;
                }
                NavigableMapView.this.remove(((Entry<?, ?>) o).getKey());
                return true;
            }

            @Override
            public void clear() {
                NavigableMapView.this.clear();
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
                return NavigableMapView.this.size();
            }

            @Override
            public boolean isEmpty() {
                return NavigableMapView.this.isEmpty();
            }

            @Override
            public boolean contains(Object o) {
                return containsValue(o);
            }

            @Override
            public void clear() {
                NavigableMapView.this.clear();
            }
        };
    }

    Iterator<K> keyIterator() {
        return new Itr<>() {
            @Override
            K make(K key, V value) {
                return key;
            }
        };
    }

    /** The keys of a view, as a navigable set that reads and writes through it. */
    private static final class KeySet<K> extends AbstractSet<K> implements NavigableSet<K> {
        private final NavigableMapView<K, ?> map;

        KeySet(NavigableMapView<K, ?> map) {
            this.map = map;
        }

        @Override
        public Iterator<K> iterator() {
            return map.keyIterator();
        }

        @Override
        public Iterator<K> descendingIterator() {
            return descendingSet().iterator();
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return map.containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            map.checkWritable();
            return map.remove(o) != null;
        }

        @Override
        public void clear() {
            map.clear();
        }

        @Override
        public Comparator<? super K> comparator() {
            return map.comparator();
        }

        @Override
        public K first() {
            return map.firstKey();
        }

        @Override
        public K last() {
            return map.lastKey();
        }

        @Override
        public K lower(K k) {
            return map.lowerKey(k);
        }

        @Override
        public K floor(K k) {
            return map.floorKey(k);
        }

        @Override
        public K ceiling(K k) {
            return map.ceilingKey(k);
        }

        @Override
        public K higher(K k) {
            return map.higherKey(k);
        }

        @Override
        public K pollFirst() {
            return keyOrNull(map.pollFirstEntry());
        }

        @Override
        public K pollLast() {
            return keyOrNull(map.pollLastEntry());
        }

        @Override
        public NavigableSet<K> descendingSet() {
            return map.descendingMap().navigableKeySet();
        }

        @Override
        public NavigableSet<K> subSet(K from, boolean fromInclusive, K to, boolean toInclusive) {
            return map.subMap(from, fromInclusive, to, toInclusive).navigableKeySet();
        }

        @Override
        public NavigableSet<K> headSet(K to, boolean inclusive) {
            return map.headMap(to, inclusive).navigableKeySet();
        }

        @Override
        public NavigableSet<K> tailSet(K from, boolean inclusive) {
            return map.tailMap(from, inclusive).navigableKeySet();
        }

        @Override
        public SortedSet<K> subSet(K from, K to) {
            return subSet(from, true, to, false);
        }

        @Override
        public SortedSet<K> headSet(K to) {
            return headSet(to, false);
        }

        @Override
        public SortedSet<K> tailSet(K from) {
            return tailSet(from, true);
        }
    }
}
