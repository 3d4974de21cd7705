package dev.etch.tx;

/**
 * Receives every change a transaction view makes, before the view applies it.
 *
 * <p>Contract for implementations: a method that returns normally lets the view apply the
 * change; a method that throws vetoes it, and the view stays as it was and rethrows the same
 * exception unchanged. Called on the transaction's thread only.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface ChangeRecorder<K, V> {

    /**
     * A key is about to be mapped to a value (insert or replace, even by an equal value).
     *
     * @param key the key, never {@code null}
     * @param value the new value, never {@code null}
     * @throws RuntimeException to veto the change (for instance
     *     {@link dev.etch.EtchCodecException} when the value cannot be encoded)
     */
    void put(K key, V value);

    /**
     * A key that is present is about to be removed.
     *
     * @param key the key, never {@code null}
     * @throws RuntimeException to veto the removal
     */
    void remove(K key);
}
