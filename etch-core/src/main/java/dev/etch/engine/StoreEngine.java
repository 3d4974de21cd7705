package dev.etch.engine;

import dev.etch.EtchStore;

/** The store's implementation: locks, the write path, publication of snapshots. */
public final class StoreEngine {

    private StoreEngine() {}

    /**
     * Opens a store with the given options.
     *
     * @param options the fixed settings
     * @param <T> the state type
     * @return the open store
     */
    public static <T> EtchStore<T> open(StoreOptions<T> options) {
        throw new UnsupportedOperationException("engine under construction");
    }
}
