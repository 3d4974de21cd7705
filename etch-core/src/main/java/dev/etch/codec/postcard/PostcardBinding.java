package dev.etch.codec.postcard;

import dev.etch.ValueCodec;

/**
 * The postcard encoder and decoder of one bound type: a tree of codecs built once by
 * {@link PostcardValueCodec#bind}, so encoding and decoding do no reflective lookups.
 *
 * <p>Besides {@link ValueCodec.Binding}'s array methods it reads and writes in place, for callers
 * that stream a larger structure (a whole-state snapshot) through one buffer. Thread-safe.
 *
 * @param <V> the bound type
 */
public final class PostcardBinding<V> implements ValueCodec.Binding<V> {

    private static final int RETAINED_BUFFER = 64 * 1024;
    private static final ThreadLocal<PostcardOutput> BUFFER = ThreadLocal.withInitial(PostcardOutput::new);

    private final TypeCodec codec;
    private final String typeName;

    PostcardBinding(TypeCodec codec, String typeName) {
        this.codec = codec;
        this.typeName = typeName;
    }

    /**
     * Encodes a value into a new array.
     *
     * @param value the value
     * @return its postcard bytes
     * @throws IllegalArgumentException if the value, or a component, element, key or value
     *     inside it, is {@code null} or cannot be written (a string with an unpaired surrogate)
     * @throws NullPointerException if {@code value} is {@code null}
     */
    @Override
    public byte[] encode(V value) {
        PostcardOutput out = BUFFER.get();
        out.reset();
        try {
            encodeTo(value, out);
            return out.toByteArray();
        } finally {
            if (out.array().length > RETAINED_BUFFER) {
                BUFFER.remove(); // do not keep the memory of one large value per thread
            }
        }
    }

    /**
     * Appends a value's postcard bytes to a buffer.
     *
     * @param value the value
     * @param out the buffer
     * @throws IllegalArgumentException as {@link #encode}; the buffer then holds a partial value
     */
    public void encodeTo(V value, PostcardOutput out) {
        codec.write(java.util.Objects.requireNonNull(value, "value"), out);
    }

    /**
     * Decodes a value that spans exactly {@code bytes[offset, offset + length)}.
     *
     * @param bytes the array
     * @param offset where the value starts
     * @param length its length
     * @return the value; lists decode to {@link java.util.ArrayList}, maps to
     *     {@link java.util.HashMap} or (declared sorted) {@link java.util.TreeMap}
     * @throws MalformedPostcardException if the bytes are not a valid encoding of the type or
     *     bytes are left over; no allocation is ever larger than the input
     * @throws IllegalArgumentException if a record's canonical constructor rejects the values
     */
    @Override
    public V decode(byte[] bytes, int offset, int length) {
        PostcardInput in = new PostcardInput(bytes, offset, length);
        V value = decodeFrom(in);
        in.expectEnd("a value of " + typeName);
        return value;
    }

    /**
     * Decodes one value from the input and leaves the input after it.
     *
     * @param in the input
     * @return the value
     * @throws MalformedPostcardException if the input is not a valid encoding of the type
     */
    @SuppressWarnings("unchecked")
    public V decodeFrom(PostcardInput in) {
        return (V) codec.read(in);
    }
}
