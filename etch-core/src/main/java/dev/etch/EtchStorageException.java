package dev.etch;

/**
 * The log, a snapshot or the data directory failed at the operating-system level: a full
 * disk, an I/O error, a failed fsync, a directory that cannot be created.
 *
 * <p>A write that fails with this exception was not acknowledged and readers never see it.
 * The message says whether the store goes on accepting writes or refuses them until it is
 * reopened; the cause is the original {@link java.io.IOException}.
 */
public class EtchStorageException extends EtchException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, on which file, and what the store does next
     * @param cause the operating system's failure
     */
    public EtchStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
