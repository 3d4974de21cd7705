package dev.etch.codec.postcard;

import dev.etch.EtchSchemaException;
import dev.etch.Unsigned;
import dev.etch.codec.Records;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds the codec tree for a value type, once, at bind time, and holds the codecs of the leaf
 * types. Every unsupported type fails here, with the path to it, never while encoding.
 *
 * <p>One builder per {@code bind} call: it remembers the records it has seen so that recursive
 * records ({@code record Node(List<Node> children)}) bind to one codec.
 */
final class TypeCodecs {

    static final String SUPPORTED = "records, enums, boolean, byte, short, int, long, float, double, char (and their boxes),"
            + " String, byte[], UUID, InetAddress, Inet4Address, Inet6Address, Optional<T>, List<T>, Map<K,V>,"
            + " SortedMap<K,V>, NavigableMap<K,V>";

    private final Map<Class<?>, RecordCodec> records = new HashMap<>();
    private final String root;

    TypeCodecs(String root) {
        this.root = root;
    }

    /**
     * The codec of a type.
     *
     * @param at the annotated type
     * @param where the path to it, for messages, e.g. {@code "Order.lines[element]"}
     * @param unsignedDeclared whether the enclosing record component carries {@code @Unsigned}
     */
    TypeCodec of(AnnotatedType at, String where, boolean unsignedDeclared) {
        Type type = at.getType();
        boolean unsigned = unsignedDeclared || at.isAnnotationPresent(Unsigned.class);
        if (type instanceof Class<?> c && !(at instanceof AnnotatedArrayType && c != byte[].class)) {
            TypeCodec integral = integral(c, unsigned);
            if (integral != null) {
                return integral;
            }
            if (unsigned) {
                throw fail(where, type, "@Unsigned applies to short, int, long (and byte) only"
                        + (c == List.class || c == Optional.class || Map.class.isAssignableFrom(c)
                                ? "; put it on the type argument, e.g. List<@Unsigned Long>" : ""));
            }
            TypeCodec leaf = leaf(c);
            if (leaf != null) {
                return leaf;
            }
            if (c.isEnum()) {
                return enumCodec(c);
            }
            if (c.isRecord()) {
                return record(c, where);
            }
            if (c == Optional.class || c == List.class || Map.class.isAssignableFrom(c)) {
                throw fail(where, type, "raw " + c.getSimpleName() + "; declare its type arguments");
            }
            throw fail(where, type, c.getName() + " is not supported");
        }
        if (unsigned) {
            throw fail(where, type, "@Unsigned applies to short, int, long (and byte) only;"
                    + " put it on the type argument, e.g. List<@Unsigned Long>");
        }
        if (at instanceof AnnotatedParameterizedType p && type instanceof ParameterizedType pt) {
            Type raw = pt.getRawType();
            AnnotatedType[] args = p.getAnnotatedActualTypeArguments();
            if (raw == Optional.class) {
                return optional(of(args[0], where + "[value]", false));
            }
            if (raw == List.class) {
                return list(of(args[0], where + "[element]", false));
            }
            if (raw == Map.class) {
                return map(of(args[0], where + "[key]", false), of(args[1], where + "[value]", false), HashMap::new);
            }
            if (raw == SortedMap.class || raw == NavigableMap.class) {
                return map(of(args[0], where + "[key]", false), of(args[1], where + "[value]", false), TreeMap::new);
            }
            throw fail(where, type, ((Class<?>) raw).getName() + " is not supported");
        }
        throw fail(where, type, "type variables, wildcards and arrays other than byte[] are not supported;"
                + " declare a concrete type");
    }

    private EtchSchemaException fail(String where, Type type, String why) {
        return new EtchSchemaException("Postcard codec cannot bind " + where + " (" + type.getTypeName() + ") in "
                + root + ": " + why + ". Supported: " + SUPPORTED + ".");
    }

    // ---- records ----

    private TypeCodec record(Class<?> c, String where) {
        RecordCodec existing = records.get(c);
        if (existing != null) {
            return existing;
        }
        RecordCodec codec = new RecordCodec(c);
        records.put(c, codec);
        RecordComponent[] rc = c.getRecordComponents();
        String[] names = new String[rc.length];
        MethodHandle[] accessors = new MethodHandle[rc.length];
        TypeCodec[] components = new TypeCodec[rc.length];
        for (int i = 0; i < rc.length; i++) {
            names[i] = rc[i].getName();
            accessors[i] = Records.accessor(rc[i]);
        }
        MethodHandle constructor = Records.canonicalConstructor(c);
        for (int i = 0; i < rc.length; i++) {
            components[i] = of(rc[i].getAnnotatedType(), c.getSimpleName() + "." + names[i],
                    rc[i].isAnnotationPresent(Unsigned.class));
        }
        codec.init(names, accessors, components, constructor);
        return codec;
    }

    // ---- enums ----

    private static TypeCodec enumCodec(Class<?> c) {
        Object[] constants = c.getEnumConstants();
        String name = c.getName();
        return new TypeCodec() {
            @Override
            public void write(Object value, PostcardOutput out) {
                out.writeVarint(((Enum<?>) value).ordinal());
            }

            @Override
            public Object read(PostcardInput in) {
                int at = in.position();
                long index = in.readVarint(32);
                if (index >= constants.length) {
                    throw new MalformedPostcardException("variant index " + index + " out of range for enum " + name
                            + " with " + constants.length + " constants", at);
                }
                return constants[(int) index];
            }
        };
    }

    // ---- containers ----

    private static TypeCodec optional(TypeCodec inner) {
        return new TypeCodec() {
            @Override
            public void write(Object value, PostcardOutput out) {
                Optional<?> o = (Optional<?>) value;
                if (o.isPresent()) {
                    out.writeByte(1);
                    inner.write(o.get(), out);
                } else {
                    out.writeByte(0);
                }
            }

            @Override
            public Object read(PostcardInput in) {
                int at = in.position();
                int tag = in.readUnsignedByte();
                if (tag == 0) {
                    return Optional.empty();
                }
                if (tag != 1) {
                    throw new MalformedPostcardException("invalid Option tag " + tag + " (expected 0 or 1)", at);
                }
                return Optional.of(inner.read(in));
            }
        };
    }

    private static TypeCodec list(TypeCodec element) {
        return new TypeCodec() {
            @Override
            public void write(Object value, PostcardOutput out) {
                List<?> list = (List<?>) value;
                out.writeVarint(list.size());
                for (Object e : list) {
                    element.write(requireElement(e, "list element"), out);
                }
            }

            @Override
            public Object read(PostcardInput in) {
                int n = in.readLength(element.minSize(), "list length");
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(element.read(in));
                }
                return list;
            }
        };
    }

    private static TypeCodec map(TypeCodec key, TypeCodec value, Supplier<Map<Object, Object>> factory) {
        int entryMin = key.minSize() + value.minSize();
        return new TypeCodec() {
            @Override
            public void write(Object v, PostcardOutput out) {
                Map<?, ?> map = (Map<?, ?>) v;
                out.writeVarint(map.size());
                int written = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    key.write(requireElement(e.getKey(), "map key"), out);
                    value.write(requireElement(e.getValue(), "map value"), out);
                    written++;
                }
                if (written != map.size()) {
                    throw new IllegalArgumentException("map changed size while being encoded");
                }
            }

            @Override
            public Object read(PostcardInput in) {
                int n = in.readLength(entryMin, "map length");
                Map<Object, Object> map = factory.get();
                for (int i = 0; i < n; i++) {
                    Object k = key.read(in);
                    map.put(k, value.read(in));
                }
                return map;
            }

            @Override
            public int minSize() {
                return 1;
            }
        };
    }

    private static Object requireElement(Object o, String what) {
        if (o == null) {
            throw new IllegalArgumentException(what + " is null; postcard has no null");
        }
        return o;
    }

    // ---- integers ----

    private static TypeCodec integral(Class<?> c, boolean unsigned) {
        if (c == byte.class || c == Byte.class) {
            return BYTE;
        }
        if (c == short.class || c == Short.class) {
            return unsigned ? U16 : I16;
        }
        if (c == int.class || c == Integer.class) {
            return unsigned ? U32 : I32;
        }
        if (c == long.class || c == Long.class) {
            return unsigned ? U64 : I64;
        }
        return null;
    }

    private static final TypeCodec BYTE = leafCodec((v, out) -> out.writeByte((Byte) v), in -> (byte) in.readUnsignedByte(), 1);
    private static final TypeCodec I16 = leafCodec((v, out) -> out.writeZigzag((Short) v), in -> (short) in.readZigzag(16), 1);
    private static final TypeCodec U16 = leafCodec((v, out) -> out.writeVarint(Short.toUnsignedInt((Short) v)),
            in -> (short) in.readVarint(16), 1);
    private static final TypeCodec I32 = leafCodec((v, out) -> out.writeZigzag((Integer) v), in -> (int) in.readZigzag(32), 1);
    private static final TypeCodec U32 = leafCodec((v, out) -> out.writeVarint(Integer.toUnsignedLong((Integer) v)),
            in -> (int) in.readVarint(32), 1);
    private static final TypeCodec I64 = leafCodec((v, out) -> out.writeZigzag((Long) v), in -> in.readZigzag(64), 1);
    private static final TypeCodec U64 = leafCodec((v, out) -> out.writeVarint((Long) v), in -> in.readVarint(64), 1);

    // ---- other leaves ----

    private static final TypeCodec BOOLEAN = leafCodec((v, out) -> out.writeByte((Boolean) v ? 1 : 0), PostcardInput::readBoolean, 1);
    private static final TypeCodec FLOAT = leafCodec((v, out) -> out.writeIntLE(Float.floatToRawIntBits((Float) v)),
            in -> Float.intBitsToFloat(in.readIntLE()), 4);
    private static final TypeCodec DOUBLE = leafCodec((v, out) -> out.writeLongLE(Double.doubleToRawLongBits((Double) v)),
            in -> Double.longBitsToDouble(in.readLongLE()), 8);
    private static final TypeCodec STRING = leafCodec((v, out) -> out.writeString((String) v), PostcardInput::readString, 1);
    private static final TypeCodec BYTES = leafCodec((v, out) -> out.writeLengthPrefixed((byte[]) v), PostcardInput::readLengthPrefixed, 1);
    /** Rust {@code char}: postcard writes it as a string of one scalar value. */
    private static final TypeCodec CHAR = leafCodec((v, out) -> out.writeString(String.valueOf((char) (Character) v)), in -> {
        int at = in.position();
        String s = in.readString();
        if (s.length() != 1) {
            throw new MalformedPostcardException(s.codePointCount(0, s.length()) == 1
                    ? "char U+" + Integer.toHexString(s.codePointAt(0)).toUpperCase() + " is outside the range of a Java char"
                    : "a char must be one Unicode scalar value, found " + s.length() + " UTF-16 units", at);
        }
        return s.charAt(0);
    }, 2);
    /** uuid's serde form for binary formats: a byte string of 16, most significant byte first. */
    private static final TypeCodec UUID_CODEC = leafCodec((v, out) -> {
        UUID u = (UUID) v;
        out.writeVarint(16);
        out.writeLongLE(Long.reverseBytes(u.getMostSignificantBits()));
        out.writeLongLE(Long.reverseBytes(u.getLeastSignificantBits()));
    }, in -> {
        int at = in.position();
        long n = in.readVarint(64);
        if (n != 16) {
            throw new MalformedPostcardException("a UUID must be 16 bytes, found length " + Long.toUnsignedString(n), at);
        }
        long msb = Long.reverseBytes(in.readLongLE());
        long lsb = Long.reverseBytes(in.readLongLE());
        return new UUID(msb, lsb);
    }, 17);
    /** Rust {@code Ipv4Addr}/{@code Ipv6Addr} in binary formats: the octets as a tuple, no length. */
    private static final TypeCodec INET4 = leafCodec((v, out) -> writeOctets((InetAddress) v, out), in -> address(in, 4), 4);
    private static final TypeCodec INET6 = leafCodec((v, out) -> writeOctets((InetAddress) v, out), in -> address(in, 16), 16);
    /** Rust {@code IpAddr}: variant {@code V4 = 0} or {@code V6 = 1}, then the octets. */
    private static final TypeCodec INET = leafCodec((v, out) -> {
        out.writeVarint(v instanceof Inet4Address ? 0 : 1);
        writeOctets((InetAddress) v, out);
    }, in -> {
        int at = in.position();
        long variant = in.readVarint(32);
        if (variant > 1) {
            throw new MalformedPostcardException("unknown IpAddr variant " + variant + " (expected 0 = V4 or 1 = V6)", at);
        }
        return address(in, variant == 0 ? 4 : 16);
    }, 5);

    private static void writeOctets(InetAddress a, PostcardOutput out) {
        byte[] octets = a.getAddress();
        out.writeRaw(octets, 0, octets.length);
    }

    private static InetAddress address(PostcardInput in, int length) {
        byte[] octets = in.readRaw(length);
        try {
            return length == 16 ? Inet6Address.getByAddress(null, octets, -1) : InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: octets have the right length", e);
        }
    }

    private static TypeCodec leaf(Class<?> c) {
        if (c == boolean.class || c == Boolean.class) {
            return BOOLEAN;
        }
        if (c == float.class || c == Float.class) {
            return FLOAT;
        }
        if (c == double.class || c == Double.class) {
            return DOUBLE;
        }
        if (c == char.class || c == Character.class) {
            return CHAR;
        }
        if (c == String.class) {
            return STRING;
        }
        if (c == byte[].class) {
            return BYTES;
        }
        if (c == UUID.class) {
            return UUID_CODEC;
        }
        if (c == InetAddress.class) {
            return INET;
        }
        if (c == Inet4Address.class) {
            return INET4;
        }
        if (c == Inet6Address.class) {
            return INET6;
        }
        return null;
    }

    private interface Writer {
        void write(Object value, PostcardOutput out);
    }

    private interface Reader {
        Object read(PostcardInput in);
    }

    private static TypeCodec leafCodec(Writer writer, Reader reader, int minSize) {
        return new TypeCodec() {
            @Override
            public void write(Object value, PostcardOutput out) {
                writer.write(value, out);
            }

            @Override
            public Object read(PostcardInput in) {
                return reader.read(in);
            }

            @Override
            public int minSize() {
                return minSize;
            }
        };
    }
}
