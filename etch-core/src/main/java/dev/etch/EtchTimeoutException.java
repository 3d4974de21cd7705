package dev.etch;

/**
 * A transaction could not start in the time allowed: another transaction held the store's
 * writer lock for all of it. Nothing was started or changed; retry, or allow a longer wait.
 */
public class EtchTimeoutException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which store, and how long the wait was
     */
    public EtchTimeoutException(String message) {
        super(message);
    }
}
