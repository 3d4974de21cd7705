package dev.etch.wal;

/**
 * A log entry's payload that is not a valid postcard list of ops: truncated or overlong
 * varint, a length beyond the end of the payload, an unknown op variant, or trailing bytes.
 *
 * <p>Checked, because recovery must decide what a bad entry means (cut the log there, or fail a
 * strict open); {@link #getMessage()} is the short reason used in reports.
 */
public final class MalformedEntryException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason what is wrong with the payload
     * @param cause the lower-level failure, or {@code null}
     */
    public MalformedEntryException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
