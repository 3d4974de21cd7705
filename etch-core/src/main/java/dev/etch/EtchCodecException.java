package dev.etch;

/**
 * A key or value that the store's codec cannot encode, or bytes in a log or snapshot that no
 * longer decode to the declared type.
 *
 * <p>When thrown while encoding inside a write, the transaction is discarded: nothing reaches
 * the log or the state that readers see. The message names the collection and the key.
 */
public class EtchCodecException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the collection, the key and what could not be encoded or decoded
     * @param cause the codec's own failure
     */
    public EtchCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
