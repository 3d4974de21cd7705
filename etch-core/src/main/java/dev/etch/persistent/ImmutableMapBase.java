package dev.etch.persistent;

import java.util.AbstractMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Rejects every {@link Map} mutator of a persistent map; equality comes from AbstractMap. */
abstract class ImmutableMapBase<K, V> extends AbstractMap<K, V> implements PersistentMap<K, V> {

    static final String NULL_KEY = "null keys are not allowed";
    static final String NULL_VALUE = "null values are not allowed";

    static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("persistent maps are immutable: use plus/minus");
    }

    @Override
    public final V put(K key, V value) {
        throw immutable();
    }

    @Override
    public final V remove(Object key) {
        throw immutable();
    }

    @Override
    public final void putAll(Map<? extends K, ? extends V> m) {
        throw immutable();
    }

    @Override
    public final void clear() {
        throw immutable();
    }

    @Override
    public final V putIfAbsent(K key, V value) {
        throw immutable();
    }

    @Override
    public final boolean remove(Object key, Object value) {
        throw immutable();
    }

    @Override
    public final boolean replace(K key, V oldValue, V newValue) {
        throw immutable();
    }

    @Override
    public final V replace(K key, V value) {
        throw immutable();
    }

    @Override
    public final void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        throw immutable();
    }

    @Override
    public final V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        throw immutable();
    }

    @Override
    public final V computeIfPresent(
            K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }

    @Override
    public final V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }

    @Override
    public final V merge(
            K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }
}
