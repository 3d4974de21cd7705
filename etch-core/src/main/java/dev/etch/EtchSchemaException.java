package dev.etch;

/**
 * A state type, key type or value type that Etch cannot store, detected when the store is
 * opened, before anything is read or written.
 *
 * <p>The message names the type, the record component and the fix, for example
 * <em>"Library.loans: @EtchCollection(1) is also used by Library.books; give each collection
 * a unique id"</em>.
 */
public class EtchSchemaException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the type and how to fix it
     */
    public EtchSchemaException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that revealed the problem.
     *
     * @param message what is wrong with the type and how to fix it
     * @param cause the underlying failure, for example from the value codec
     */
    public EtchSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
