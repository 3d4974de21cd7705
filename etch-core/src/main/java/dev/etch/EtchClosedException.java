package dev.etch;

/**
 * The store was closed: it accepts no more reads or writes. Open it again to continue.
 */
public class EtchClosedException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which store was closed
     */
    public EtchClosedException(String message) {
        super(message);
    }
}
