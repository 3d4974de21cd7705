package dev.etch.spring;

import dev.etch.EtchListener;

/**
 * Supplies the {@link EtchListener} of a store that the auto-configuration opens, so that
 * several observers (Micrometer metrics, tracing, the application's own) can watch the same
 * store: the starter registers one listener on the builder that forwards every event to the
 * listeners of all factory beans, in {@link org.springframework.core.Ordered order}.
 *
 * <p>Listeners run synchronously on the store's write and sync paths and must be fast; see
 * {@link EtchListener}. A listener that throws is logged and ignored by the store.
 */
@FunctionalInterface
public interface EtchListenerFactory {

    /**
     * Creates the listener for one store; called once per store, before it opens.
     *
     * @param storeName the store name, which is also its bean name
     * @return the listener, or {@link EtchListener#NONE} to skip this store
     */
    EtchListener listenerFor(String storeName);
}
