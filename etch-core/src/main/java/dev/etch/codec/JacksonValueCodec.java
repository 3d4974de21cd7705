package dev.etch.codec;

import dev.etch.EtchSchemaException;
import dev.etch.ValueCodec;
import java.lang.reflect.AnnotatedType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;
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
     * Whether this is the default codec ({@link #cbor()}), on a mapper with Jackson's defaults.
     * Only it writes through long-lived generators ({@link ReusedGenerators}): its format (CBOR
     * without string references) writes each root value independently of the values before it
     * on the same generator. And only its value types are checked for being readable back: a
     * mapper of the application's own may have mix-ins or default typing the check cannot see.
     */
    private final boolean defaultCodec;

    /**
     * A codec over the given mapper. Values are written with it as given, and read with a
     * copy of it ({@code mapper.rebuild()}) that also creates records through a constructor
     * handle prepared once per type: the same values and errors, faster (a mapper that
     * cannot be rebuilt reads as given).
     *
     * @param mapper the mapper, with the user's modules and settings
     */
    public JacksonValueCodec(ObjectMapper mapper) {
        this(mapper, withRecordConstructors(mapper), false);
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

    private JacksonValueCodec(ObjectMapper mapper, ObjectMapper readMapper, boolean defaultCodec) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.readMapper = Objects.requireNonNull(readMapper, "readMapper");
        this.defaultCodec = defaultCodec;
    }

    /**
     * The default codec: CBOR with Jackson's default settings, records created through their
     * canonical constructor with a handle prepared once per type (the same values and errors
     * as Jackson's own instantiation, faster).
     *
     * <p>Values are read only when a store opens, by its recovery's own platform threads, so
     * reading keeps Jackson's buffers per thread ({@code JsonRecyclerPools.threadLocalPool()})
     * instead of taking them from and returning them to a concurrent pool for every value.
     * Writing happens on the application's threads (virtual ones included) and on the
     * snapshot thread. It keeps a few generators, each with its own output buffer, and writes
     * every value through one of them instead of creating a generator, its context and its
     * buffers for each value. The bytes are the same as {@code writeValueAsBytes}.
     *
     * @return a CBOR codec
     */
    public static JacksonValueCodec cbor() {
        CBORMapper writing = CBORMapper.builder().build();
        CBORMapper reading = CBORMapper.builder(
                        CBORFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
                .addModule(RecordConstructors.module())
                .build();
        return new JacksonValueCodec(writing, reading, true);
    }

    @Override
    public String name() {
        return "jackson-" + mapper.tokenStreamFactory().getFormatName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Binds a value type. The default codec ({@link #cbor()}) first refuses a type that
     * Jackson would write but not read back (an interface or abstract class without
     * {@code @JsonTypeInfo}, reachable from the value type); a codec over the application's
     * mapper trusts that mapper's configuration.
     *
     * @param valueType the value type of a collection
     * @param <V> the value type
     * @return the binding
     * @throws EtchSchemaException if Jackson cannot handle the type, naming the fix
     */
    @Override
    public <V> Binding<V> bind(AnnotatedType valueType) {
        if (defaultCodec) {
            JacksonReadableTypes.check(valueType.getType());
        }
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
        ReusedGenerators generators = defaultCodec ? new ReusedGenerators(writer) : null;
        return new Binding<>() {
            @Override
            public byte[] encode(V value) {
                return generators != null ? generators.write(value) : writer.writeValueAsBytes(value);
            }

            @Override
            public V decode(byte[] bytes, int offset, int length) {
                return reader.readValue(bytes, offset, length);
            }
        };
    }

    /**
     * Generators kept between values, each writing into its own growable buffer. A value is
     * written as one root value, flushed, copied out, and the buffer cleared; the generator is
     * then ready for the next root value. A generator whose write failed is dropped, since it
     * may be left inside an unfinished object, and so is one that has written
     * {@link #VALUES_PER_GENERATOR} values, so that no state a generator keeps across root
     * values (such as its context's value count) grows without bound. Up to {@link #SLOTS} idle
     * generators are kept; a thread that finds none creates one, so concurrent writers never
     * wait for each other.
     */
    private static final class ReusedGenerators {

        /** Enough for the writer thread, the snapshot thread and one more. */
        private static final int SLOTS = 4;
        private static final int VALUES_PER_GENERATOR = 1 << 16;

        private final ObjectWriter writer;
        private final AtomicReferenceArray<Reused> idle = new AtomicReferenceArray<>(SLOTS);

        ReusedGenerators(ObjectWriter writer) {
            this.writer = writer;
        }

        byte[] write(Object value) {
            Reused reused = take();
            writer.writeValue(reused.generator, value);
            // writeValue flushes only while FLUSH_AFTER_WRITE_VALUE is on; the copy below
            // must not depend on that setting.
            reused.generator.flush();
            byte[] bytes = reused.buffer.toByteArray();
            reused.buffer.reset();
            if (++reused.values < VALUES_PER_GENERATOR) {
                give(reused);
            } else {
                reused.generator.close();
            }
            return bytes;
        }

        private Reused take() {
            for (int i = 0; i < SLOTS; i++) {
                Reused reused = idle.get(i);
                if (reused != null && idle.compareAndSet(i, reused, null)) {
                    return reused;
                }
            }
            return new Reused(writer);
        }

        private void give(Reused reused) {
            for (int i = 0; i < SLOTS; i++) {
                if (idle.get(i) == null && idle.compareAndSet(i, null, reused)) {
                    return;
                }
            }
        }
    }

    /** A generator, the buffer it writes into and how many values it has written. */
    private static final class Reused {
        final ByteArrayBuilder buffer = new ByteArrayBuilder();
        final JsonGenerator generator;
        int values;

        Reused(ObjectWriter writer) {
            generator = writer.createGenerator(buffer);
        }
    }
}
