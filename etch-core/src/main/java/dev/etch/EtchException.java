package dev.etch;

/**
 * The base of every exception Etch throws for a condition of its own: a bad state type, a
 * closed or failed store, a corrupt file, a locked directory, an I/O failure.
 *
 * <p>Exceptions thrown by user code inside a transaction are never wrapped: they reach the
 * caller unchanged.
 */
public class EtchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the problem and, where there is one,
     * the fix.
     *
     * @param message what went wrong
     */
    public EtchException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause that led to it.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public EtchException(String message, Throwable cause) {
        super(message, cause);
    }
}
