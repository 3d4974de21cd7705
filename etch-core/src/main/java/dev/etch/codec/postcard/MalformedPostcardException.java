package dev.etch.codec.postcard;

/**
 * Bytes that are not a valid postcard encoding of the expected type: a truncated or overlong
 * varint, a length beyond the end of the input, an unknown variant, an invalid boolean or
 * UTF-8 string, or bytes left over after the value.
 *
 * <p>Thrown by {@link PostcardInput} and the postcard value codec. Inside a store it is wrapped
 * (for values, in {@link dev.etch.EtchCodecException}; in the log, it marks the entry as not
 * decodable).
 */
public final class MalformedPostcardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What is wrong, without the position. */
    private final String reason;
    /** The index in the input array where the problem was found. */
    private final int offset;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param offset the index in the input array where the problem was found
     */
    public MalformedPostcardException(String message, int offset) {
        super(message + " (at input index " + offset + ")");
        this.reason = message;
        this.offset = offset;
    }

    /**
     * What is wrong, without the position.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * Where in the input array the problem was found.
     *
     * @return the array index
     */
    public int offset() {
        return offset;
    }
}
