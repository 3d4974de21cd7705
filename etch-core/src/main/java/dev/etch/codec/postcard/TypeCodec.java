package dev.etch.codec.postcard;

/**
 * Writes and reads the values of one Java type in postcard form; a bound value type is a tree
 * of these, built once by {@link TypeCodecs}.
 */
interface TypeCodec {

    /**
     * Writes a value.
     *
     * @param value a non-null value of the bound type
     * @param out the buffer
     * @throws IllegalArgumentException if the value (or a part of it) cannot be written
     */
    void write(Object value, PostcardOutput out);

    /**
     * Reads a value.
     *
     * @param in the input
     * @return the value
     * @throws MalformedPostcardException if the input is not a valid encoding
     */
    Object read(PostcardInput in);

    /**
     * The fewest bytes an encoded value takes, used to bound counts read from the input.
     *
     * @return 0 or more
     */
    default int minSize() {
        return 1;
    }
}
