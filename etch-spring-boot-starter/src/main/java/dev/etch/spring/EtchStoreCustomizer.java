package dev.etch.spring;

import dev.etch.EtchStore;

/**
 * Adjusts the builder of a store that the auto-configuration opens, before it is opened: to
 * use a specific Jackson mapper, a custom codec, or settings the properties do not cover.
 *
 * <p>Every customizer bean is called, in {@link org.springframework.core.Ordered order}, for
 * every configured store, after the properties have been applied; a customizer that only
 * cares about one store checks the name. Customizers are not called for {@code EtchStore}
 * beans the application declares itself.
 *
 * <p>To observe a store, declare an {@link EtchListenerFactory} rather than calling
 * {@link EtchStore.Builder#listener}: the builder holds one listener, and the starter installs
 * a composite of all listener factories (metrics included) before the customizers run, so a
 * customizer that sets a listener replaces them.
 *
 * <p>An exception thrown by a customizer fails startup, reported as a failure to open that
 * store.
 */
@FunctionalInterface
public interface EtchStoreCustomizer {

    /**
     * Customizes one store's builder.
     *
     * @param storeName the store name ({@code etch.stores.<name>}), which is also its bean name
     * @param builder the builder, with the configured properties already applied
     */
    void customize(String storeName, EtchStore.Builder<?> builder);
}
