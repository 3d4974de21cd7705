package dev.etch.spring.autoconfigure;

/**
 * A configured Etch store could not be opened at startup: its configuration is incomplete or
 * wrong, or the store refused to open (bad state type, locked or unusable directory, damaged
 * log in strict mode).
 *
 * <p>It names the store and the configuration property to fix; the cause, when there is one,
 * is the original failure ({@link dev.etch.EtchException} subclasses, or a binding failure).
 * {@link EtchStoreFailureAnalyzer} turns it into the startup failure report.
 */
public class EtchStoreOpenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String storeName;
    private final String property;

    /**
     * Creates the exception.
     *
     * @param storeName the store name ({@code etch.stores.<name>})
     * @param property the full name of the property that decides the failing aspect, for
     *     example {@code etch.stores.library.directory}
     * @param problem what is wrong
     * @param cause the original failure, or {@code null}
     */
    public EtchStoreOpenException(String storeName, String property, String problem, Throwable cause) {
        super("Cannot open Etch store '" + storeName + "' (" + property + "): " + problem, cause);
        this.storeName = storeName;
        this.property = property;
    }

    /**
     * The store that failed.
     *
     * @return the store name
     */
    public String getStoreName() {
        return storeName;
    }

    /**
     * The property whose value decides the failing aspect.
     *
     * @return a full property name such as {@code etch.stores.library.state}
     */
    public String getProperty() {
        return property;
    }

    /**
     * The prefix of the failing store's properties.
     *
     * @return {@code etch.stores.<name>}
     */
    public String getPropertyPrefix() {
        return EtchStoreRegistrar.PREFIX + "." + storeName;
    }
}
