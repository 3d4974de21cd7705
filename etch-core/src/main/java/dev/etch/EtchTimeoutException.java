package dev.etch;

/**
 * A wait ran out of time, and nothing was lost by it. Either a transaction could not start:
 * another transaction held the store's writer lock all that time, and nothing was started or
 * changed ({@link EtchStore#begin(java.time.Duration)}). Or {@link EtchStore#flush(java.time.Duration)}
 * returned before the sync it waited for finished: the writes stay acknowledged and the sync
 * goes on. Retry, or allow a longer wait.
 */
public class EtchTimeoutException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which store or log, and what the wait was for
     */
    public EtchTimeoutException(String message) {
        super(message);
    }
}
