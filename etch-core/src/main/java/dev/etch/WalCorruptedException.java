package dev.etch;

import java.nio.file.Path;

/**
 * A strict open ({@code builder.strictRecovery(true)}) found a log entry that is short, fails
 * its checksum or does not decode, and refused to discard anything.
 *
 * <p>The directory is left untouched. To recover what is valid, open it without strict mode:
 * the log is cut at {@link #offset()} and the {@link ReplayReport} says how many bytes were
 * discarded.
 */
public class WalCorruptedException extends EtchException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param file the damaged file
     * @param offset the byte offset of the first bad entry
     * @param reason what is wrong with it
     */
    public WalCorruptedException(Path file, long offset, String reason) {
        super("Corrupt log " + file + " at offset " + offset + ": " + reason
                + ". Nothing was discarded (strict recovery); open without strictRecovery to keep"
                + " the valid prefix and cut the log there.");
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * The damaged file.
     *
     * @return the log or snapshot path
     */
    public Path file() {
        return file;
    }

    /**
     * Where the first bad entry starts.
     *
     * @return the byte offset in {@link #file()}
     */
    public long offset() {
        return offset;
    }

    /**
     * What is wrong with the entry.
     *
     * @return a short reason such as "checksum mismatch"
     */
    public String reason() {
        return reason;
    }
}
