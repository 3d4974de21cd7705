package dev.etch.codec.postcard;

import dev.etch.EtchSchemaException;
import dev.etch.ValueCodec;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Values in postcard, the format of etchdb 0.3.2 (Rust, serde): byte-compatible with what
 * etchdb writes for the corresponding Rust types, values and whole-state snapshots alike.
 *
 * <p>Postcard is not self-describing: there are no field names or type tags, so the Java type
 * must mirror the Rust type field by field, in order. The mapping:
 * <table>
 * <caption>Java types and their postcard encodings</caption>
 * <tr><th>Java</th><th>Rust</th><th>bytes</th></tr>
 * <tr><td>record</td><td>struct</td><td>the components in declaration order, nothing else</td></tr>
 * <tr><td>{@code boolean}</td><td>{@code bool}</td><td>one byte, 0 or 1 (anything else fails to decode)</td></tr>
 * <tr><td>{@code byte}</td><td>{@code u8}/{@code i8}</td><td>one raw byte</td></tr>
 * <tr><td>{@code short}, {@code int}, {@code long}</td><td>{@code i16}, {@code i32}, {@code i64}</td><td>zigzag varint</td></tr>
 * <tr><td>{@code @Unsigned} {@code short}, {@code int}, {@code long}</td><td>{@code u16}, {@code u32}, {@code u64}</td><td>varint (LEB128)</td></tr>
 * <tr><td>{@code float}, {@code double}</td><td>{@code f32}, {@code f64}</td><td>IEEE 754, little-endian</td></tr>
 * <tr><td>{@code char}</td><td>{@code char}</td><td>as a string of one character; a Rust char outside the BMP fails to decode</td></tr>
 * <tr><td>{@code String}</td><td>{@code String}</td><td>varint length, UTF-8 (validated)</td></tr>
 * <tr><td>{@code byte[]}</td><td>{@code Vec<u8>}</td><td>varint length, bytes</td></tr>
 * <tr><td>{@code Optional<T>}</td><td>{@code Option<T>}</td><td>0, or 1 then T</td></tr>
 * <tr><td>{@code List<T>}</td><td>{@code Vec<T>}</td><td>varint length, items</td></tr>
 * <tr><td>{@code Map}, {@code SortedMap}, {@code NavigableMap}</td><td>{@code HashMap}, {@code BTreeMap}</td><td>varint length, key/value pairs in iteration order</td></tr>
 * <tr><td>enum</td><td>enum of unit variants</td><td>variant index (ordinal) as varint</td></tr>
 * <tr><td>{@code UUID}</td><td>{@code uuid::Uuid}</td><td>varint 16, the 16 bytes big-endian</td></tr>
 * <tr><td>{@code InetAddress}</td><td>{@code IpAddr}</td><td>variant 0 + 4 octets, or 1 + 16 octets</td></tr>
 * <tr><td>{@code Inet4Address}, {@code Inet6Address}</td><td>{@code Ipv4Addr}, {@code Ipv6Addr}</td><td>4 or 16 raw octets</td></tr>
 * </table>
 *
 * <p>Boxed types behave as their primitives; {@code null} has no encoding (use
 * {@code Optional}). Not supported (binding fails): sets, arrays other than {@code byte[]},
 * 128-bit integers, enums with data, generic records, type variables and wildcards.
 *
 * <p>Decoding checks every length and count against the bytes that remain before allocating,
 * and fails with {@link MalformedPostcardException} on truncated input, overlong or
 * out-of-range varints, invalid booleans, tags, variants or UTF-8, and trailing bytes.
 */
public final class PostcardValueCodec implements ValueCodec {

    private static final PostcardValueCodec INSTANCE = new PostcardValueCodec();

    private PostcardValueCodec() {}

    /**
     * The codec; it is stateless.
     *
     * @return the shared instance
     */
    public static PostcardValueCodec instance() {
        return INSTANCE;
    }

    /**
     * Returns {@code "postcard"}.
     *
     * @return the codec's name
     */
    @Override
    public String name() {
        return "postcard";
    }

    /**
     * Builds the encoder and decoder tree of a type, reading type-use annotations
     * ({@link dev.etch.Unsigned}) on type arguments and record components.
     *
     * @param valueType the type, with its generic arguments and annotations
     * @param <V> the type
     * @return the binding
     * @throws EtchSchemaException if the type, or any type inside it, is not supported; the
     *     message names the type, the record component and the reason
     */
    @Override
    public <V> PostcardBinding<V> bind(AnnotatedType valueType) {
        Objects.requireNonNull(valueType, "valueType");
        String name = valueType.getType().getTypeName();
        return new PostcardBinding<>(new TypeCodecs(name).of(valueType, "the value type", false), name);
    }

    /**
     * Binds a plain class, such as a whole-state record (an etchdb {@code ESNA} version 1
     * snapshot is the postcard of the state struct) or a value record.
     *
     * @param type the class; generic classes need {@link #bind(AnnotatedType)}
     * @param <V> the type
     * @return the binding
     * @throws EtchSchemaException if the class, or a type inside it, is not supported
     */
    public <V> PostcardBinding<V> bind(Class<V> type) {
        return bind(new ClassType(Objects.requireNonNull(type, "type")));
    }

    /** A class as an {@link AnnotatedType} without annotations. */
    private record ClassType(Class<?> type) implements AnnotatedType {

        @Override
        public Type getType() {
            return type;
        }

        @Override
        public <T extends Annotation> T getAnnotation(Class<T> annotationClass) {
            return null;
        }

        @Override
        public Annotation[] getAnnotations() {
            return new Annotation[0];
        }

        @Override
        public Annotation[] getDeclaredAnnotations() {
            return new Annotation[0];
        }
    }
}
