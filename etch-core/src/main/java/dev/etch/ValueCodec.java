package dev.etch;

import dev.etch.codec.JacksonValueCodec;
import dev.etch.codec.postcard.PostcardValueCodec;
import java.lang.reflect.AnnotatedType;
import tools.jackson.databind.ObjectMapper;

/**
 * How the values of a store's collections are turned into bytes for the log and snapshots,
 * and back.
 *
 * <p>A codec is asked once per collection, when the store opens, to {@link #bind(AnnotatedType) bind}
 * itself to the collection's value type; a type it cannot handle fails the open with
 * {@link EtchSchemaException}. The binding then encodes every value put into that
 * collection, at the moment of the {@code put}, so a value the codec cannot write fails that
 * call and its transaction before anything is applied.
 *
 * <p>The codec is part of the data's format: reopening a directory with a different codec
 * fails to decode its values.
 */
public interface ValueCodec {

    /**
     * The default codec: Jackson 3 with the CBOR binary format (RFC 8949), field names
     * included, so that adding a field to a value record does not break data already written.
     *
     * @return a codec with Etch's default mapper configuration
     */
    static ValueCodec jackson() {
        return JacksonValueCodec.cbor();
    }

    /**
     * A Jackson codec that uses the given mapper (JSON, Smile, CBOR or any other format the
     * mapper's factory writes), with its modules and configuration. Values are read through a
     * rebuilt copy of the mapper that creates records through a constructor handle prepared
     * once per type: the same values and errors as the mapper gives, faster.
     *
     * @param mapper the mapper that writes and reads values
     * @return a codec backed by that mapper
     */
    static ValueCodec jackson(ObjectMapper mapper) {
        return new JacksonValueCodec(mapper);
    }

    /**
     * The codec of etchdb 0.3.2: postcard, Rust's compact binary format without field names,
     * byte-compatible with the values (and whole-state snapshots) written by etchdb for the
     * corresponding Rust types. Record components are written in declaration order, so adding,
     * removing or reordering a component breaks data already written; mark Rust unsigned
     * integers with {@link Unsigned}.
     *
     * <p>Binding fails with {@link EtchSchemaException}, naming the type and component, for
     * any type it does not support; see {@link PostcardValueCodec} for the supported types and
     * their encodings.
     *
     * @return the postcard codec (stateless, shareable)
     */
    static ValueCodec postcard() {
        return PostcardValueCodec.instance();
    }

    /**
     * A short name for reports and stats, for example {@code "jackson-cbor"}.
     *
     * @return the codec's name
     */
    String name();

    /**
     * Prepares the encoder and decoder for one value type.
     *
     * @param valueType the declared value type of a collection, with its generic arguments
     *     and type-use annotations (such as {@code @Unsigned})
     * @param <V> the value type
     * @return the binding used for every value of that collection
     * @throws EtchSchemaException if the codec cannot handle the type; the message names it
     */
    <V> Binding<V> bind(AnnotatedType valueType);

    /**
     * Encodes and decodes the values of one collection.
     *
     * @param <V> the value type
     */
    interface Binding<V> {

        /**
         * Encodes a value.
         *
         * @param value the value, never {@code null}
         * @return the value's bytes; the caller owns the array
         * @throws RuntimeException any failure of the underlying codec; the store wraps it in
         *     {@link EtchCodecException} naming the collection and key
         */
        byte[] encode(V value);

        /**
         * Decodes a value written by {@link #encode}.
         *
         * @param bytes the array holding the value
         * @param offset where the value starts
         * @param length how many bytes it spans
         * @return the value
         * @throws RuntimeException any failure of the underlying codec; the store wraps it in
         *     {@link EtchCodecException} naming the collection and key
         */
        V decode(byte[] bytes, int offset, int length);
    }
}
