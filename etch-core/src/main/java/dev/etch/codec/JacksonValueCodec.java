package dev.etch.codec;

import dev.etch.EtchSchemaException;
import dev.etch.ValueCodec;
import java.lang.reflect.AnnotatedType;
import java.util.Objects;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.cbor.CBORFactory;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Values as Jackson 3 documents: by default CBOR (RFC 8949), a binary format that keeps field
 * names, so records may gain fields without breaking data already written. Chosen over JSON
 * and Smile by measurement (docs/BENCHMARKS.md, "Value codec"): the smallest of the three for
 * a small record and at least as fast to write and read.
 */
public final class JacksonValueCodec implements ValueCodec {

    private final ObjectMapper mapper;
    /** Reads values: the same mapper, or for the default codec one tuned for recovery. */
    private final ObjectMapper readMapper;

    /**
     * A codec over the given mapper. Values are written with it as given, and read with a
     * copy of it ({@code mapper.rebuild()}) that also creates records through a constructor
     * handle prepared once per type: the same values and errors, faster (a mapper that
     * cannot be rebuilt reads as given).
     *
     * @param mapper the mapper, with the user's modules and settings
     */
    public JacksonValueCodec(ObjectMapper mapper) {
        this(mapper, withRecordConstructors(mapper));
    }

    private static ObjectMapper withRecordConstructors(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        try {
            return mapper.rebuild().addModule(RecordConstructors.module()).build();
        } catch (IllegalStateException e) {
            // Jackson's answer for a mapper subclass that does not override rebuild().
            return mapper;
        }
    }

    private JacksonValueCodec(ObjectMapper mapper, ObjectMapper readMapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.readMapper = Objects.requireNonNull(readMapper, "readMapper");
    }

    /**
     * The default codec: CBOR with Jackson's default settings, records created through their
     * canonical constructor with a handle prepared once per type (the same values and errors
     * as Jackson's own instantiation, faster).
     *
     * <p>Values are read only when a store opens, by its recovery's own platform threads, so
     * reading keeps Jackson's buffers per thread ({@code JsonRecyclerPools.threadLocalPool()})
     * instead of taking them from and returning them to a concurrent pool for every value.
     * Writing, which happens on the application's threads (virtual ones included), keeps
     * Jackson's default pool.
     *
     * @return a CBOR codec
     */
    public static JacksonValueCodec cbor() {
        CBORMapper writing = CBORMapper.builder().build();
        CBORMapper reading = CBORMapper.builder(
                        CBORFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
                .addModule(RecordConstructors.module())
                .build();
        return new JacksonValueCodec(writing, reading);
    }

    @Override
    public String name() {
        return "jackson-" + mapper.tokenStreamFactory().getFormatName().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public <V> Binding<V> bind(AnnotatedType valueType) {
        JavaType type = mapper.getTypeFactory().constructType(valueType.getType());
        ObjectWriter writer;
        ObjectReader reader;
        try {
            writer = mapper.writerFor(type);
            reader = readMapper.readerFor(type);
        } catch (RuntimeException e) {
            throw new EtchSchemaException("Jackson cannot handle value type " + valueType.getType() + ": " + e.getMessage()
                    + ". Make the type Jackson-serializable or pass a ValueCodec that supports it.", e);
        }
        return new Binding<>() {
            @Override
            public byte[] encode(V value) {
                return writer.writeValueAsBytes(value);
            }

            @Override
            public V decode(byte[] bytes, int offset, int length) {
                return reader.readValue(bytes, offset, length);
            }
        };
    }
}
