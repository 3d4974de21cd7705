package dev.etch.codec;

import dev.etch.EtchSchemaException;
import dev.etch.codec.postcard.PostcardOutput;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * How a key type is written into log entries, read back, and ordered in sorted collections.
 *
 * <p>Encodings, byte for byte (those marked <em>etchdb</em> are the original's, so logs are
 * interchangeable with it):
 * <ul>
 *   <li>{@code String}: its UTF-8 bytes (etchdb).</li>
 *   <li>{@code Long}, {@code Integer}, {@code Short}, {@code Byte}: two's complement,
 *       fixed width 8/4/2/1, little-endian (etchdb).</li>
 *   <li>{@code Inet4Address}: 4 octets; {@code Inet6Address}: 16 octets;
 *       {@code InetAddress}: a tag byte 4 or 6, then the octets (etchdb's {@code IpAddr}).</li>
 *   <li>{@code UUID}: its 16 bytes, most significant first (RFC 4122 order, as Rust's
 *       {@code Uuid::as_bytes}).</li>
 *   <li>an enum: the constant's name in UTF-8, so reordering constants never changes data.</li>
 *   <li>a record {@code (A, B)}: A's length as u64 little-endian, A's bytes, B's bytes
 *       (etchdb's pair); a record of more components nests to the right, {@code (A, (B, C))},
 *       so every component but the last is length-prefixed.</li>
 * </ul>
 *
 * <p>Order in sorted collections: the key's natural order when it is {@link Comparable}
 * (numbers by value, strings by UTF-16 code units, enums by declaration, UUIDs by
 * {@link UUID#compareTo}); IP addresses v4 before v6, then by unsigned octets; records that
 * are not {@code Comparable} by their components in declaration order.
 *
 * @param <K> the key type
 */
public abstract sealed class KeyCodec<K> {

    private final Class<K> type;
    private final Comparator<? super K> comparator;

    private KeyCodec(Class<K> type, Comparator<? super K> comparator) {
        this.type = type;
        this.comparator = comparator;
    }

    /**
     * The codec for a key type.
     *
     * @param keyType the declared key type (a {@code Class}; generic key types are not
     *     supported)
     * @param where the place the type was declared, for messages (e.g. "Library.books")
     * @return the codec
     * @throws EtchSchemaException if the type is not a supported key type
     */
    public static KeyCodec<?> forType(AnnotatedType keyType, String where) {
        if (!(keyType.getType() instanceof Class<?> raw)) {
            throw unsupported(keyType.getType().getTypeName(), where);
        }
        return forClass(raw, where);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KeyCodec<?> forClass(Class<?> raw, String where) {
        Class<?> c = box(raw);
        if (c == String.class) {
            return new Utf8();
        }
        if (c == Long.class || c == Integer.class || c == Short.class || c == Byte.class) {
            return new FixedInt(c);
        }
        if (c == UUID.class) {
            return new Uuid();
        }
        if (c == InetAddress.class || c == Inet4Address.class || c == Inet6Address.class) {
            return new Ip((Class<InetAddress>) c);
        }
        if (c.isEnum()) {
            return new EnumName(c);
        }
        if (c.isRecord()) {
            RecordComponent[] components = c.getRecordComponents();
            if (components.length == 0) {
                throw new EtchSchemaException(where + ": key record " + c.getName()
                        + " has no components; give it at least one key component");
            }
            KeyCodec<?>[] parts = new KeyCodec<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parts[i] = forType(components[i].getAnnotatedType(),
                        where + " key " + c.getSimpleName() + "." + components[i].getName());
            }
            return new Composite(c, components, parts, Composite.accessors(components));
        }
        throw unsupported(c.getName(), where);
    }

    private static EtchSchemaException unsupported(String typeName, String where) {
        return new EtchSchemaException(where + ": key type " + typeName + " is not supported. Use String, Integer,"
                + " Long, Short, Byte, UUID, InetAddress, an enum, or a record of those (a composite key).");
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        return c;
    }

    /**
     * The key class this codec handles.
     *
     * @return the (boxed) key class
     */
    public final Class<K> type() {
        return type;
    }

    /**
     * The order of keys in a sorted collection.
     *
     * @return a total order consistent with {@code equals}
     */
    public final Comparator<? super K> comparator() {
        return comparator;
    }

    /**
     * Encodes a key.
     *
     * @param key the key, not {@code null}
     * @return its bytes
     * @throws NullPointerException if the key, or a component of a composite key, is null
     * @throws IllegalArgumentException if a string in the key has an unpaired surrogate, which
     *     has no UTF-8 form
     */
    public abstract byte[] encode(K key);

    /**
     * Decodes a key written by {@link #encode}.
     *
     * @param bytes the array holding the key
     * @param offset where it starts
     * @param length how many bytes it spans
     * @return the key
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    public abstract K decode(byte[] bytes, int offset, int length);

    /**
     * Decodes a whole array.
     *
     * @param bytes the encoded key
     * @return the key
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    public final K decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    private static void requireLength(int expected, int length, String what) {
        if (length != expected) {
            throw new IllegalArgumentException(what + " key must be " + expected + " bytes, found " + length);
        }
    }

    private static final class Utf8 extends KeyCodec<String> {
        Utf8() {
            super(String.class, Comparator.naturalOrder());
        }

        @Override
        public byte[] encode(String key) {
            // Refuses an unpaired surrogate, which getBytes would store as '?': the key read
            // back after a reopen would not be the key written.
            PostcardOutput.utf8Length(key);
            return key.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes, int offset, int length) {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final class FixedInt extends KeyCodec<Number> {
        private final int width;

        FixedInt(Class c) {
            super(c, (Comparator) Comparator.naturalOrder());
            this.width = c == Long.class ? 8 : c == Integer.class ? 4 : c == Short.class ? 2 : 1;
        }

        @Override
        public byte[] encode(Number key) {
            long v = key.longValue();
            byte[] out = new byte[width];
            for (int i = 0; i < width; i++) {
                out[i] = (byte) (v >>> (8 * i));
            }
            return out;
        }

        @Override
        public Number decode(byte[] bytes, int offset, int length) {
            requireLength(width, length, type().getSimpleName());
            long v = 0;
            for (int i = 0; i < width; i++) {
                v |= (bytes[offset + i] & 0xFFL) << (8 * i);
            }
            return switch (width) {
                case 8 -> v;
                case 4 -> (int) v;
                case 2 -> (short) v;
                default -> (byte) v;
            };
        }
    }

    private static final class Uuid extends KeyCodec<UUID> {
        Uuid() {
            super(UUID.class, Comparator.naturalOrder());
        }

        @Override
        public byte[] encode(UUID key) {
            return ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN)
                    .putLong(key.getMostSignificantBits()).putLong(key.getLeastSignificantBits()).array();
        }

        @Override
        public UUID decode(byte[] bytes, int offset, int length) {
            requireLength(16, length, "UUID");
            ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.BIG_ENDIAN);
            return new UUID(b.getLong(), b.getLong());
        }
    }

    private static final class Ip extends KeyCodec<InetAddress> {
        private final boolean tagged;

        Ip(Class<InetAddress> c) {
            super(c, Ip::compare);
            this.tagged = c == InetAddress.class;
        }

        private static int compare(InetAddress a, InetAddress b) {
            byte[] x = a.getAddress();
            byte[] y = b.getAddress();
            if (x.length != y.length) {
                return Integer.compare(x.length, y.length);
            }
            return Arrays.compareUnsigned(x, y);
        }

        @Override
        public byte[] encode(InetAddress key) {
            byte[] octets = key.getAddress();
            if (!tagged) {
                return octets;
            }
            byte[] out = new byte[octets.length + 1];
            out[0] = (byte) (octets.length == 4 ? 4 : 6);
            System.arraycopy(octets, 0, out, 1, octets.length);
            return out;
        }

        @Override
        public InetAddress decode(byte[] bytes, int offset, int length) {
            int start = offset;
            int len = length;
            if (tagged) {
                if (length < 1) {
                    throw new IllegalArgumentException("InetAddress key is empty");
                }
                int tag = bytes[offset];
                int expected = tag == 4 ? 4 : tag == 6 ? 16 : -1;
                if (expected < 0) {
                    throw new IllegalArgumentException("InetAddress key has tag " + tag + ", expected 4 or 6");
                }
                requireLength(expected + 1, length, "InetAddress");
                start++;
                len--;
            } else {
                requireLength(((Class<?>) type()) == Inet4Address.class ? 4 : 16, length, type().getSimpleName());
            }
            try {
                InetAddress address = InetAddress.getByAddress(Arrays.copyOfRange(bytes, start, start + len));
                if (len == 16 && !(address instanceof Inet6Address)) {
                    // getByAddress turns IPv4-mapped IPv6 into IPv4; keep what was written.
                    address = Inet6Address.getByAddress(null, Arrays.copyOfRange(bytes, start, start + len), -1);
                }
                return address;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid IP address key", e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final class EnumName extends KeyCodec<Enum> {
        EnumName(Class c) {
            super(c, Comparator.naturalOrder());
        }

        @Override
        public byte[] encode(Enum key) {
            return key.name().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Enum decode(byte[] bytes, int offset, int length) {
            String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
            return Enum.valueOf((Class) type(), name);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final class Composite extends KeyCodec<Record> {
        private final RecordComponent[] components;
        private final KeyCodec[] parts;
        private final java.lang.invoke.MethodHandle constructor;
        private final java.lang.invoke.MethodHandle[] accessors;

        Composite(Class c, RecordComponent[] components, KeyCodec<?>[] parts,
                java.lang.invoke.MethodHandle[] accessors) {
            super(c, order(c, parts, accessors));
            this.components = components;
            this.parts = parts;
            this.accessors = accessors;
            this.constructor = Records.canonicalConstructor(c);
        }

        private static Comparator order(Class c, KeyCodec[] parts, java.lang.invoke.MethodHandle[] accessors) {
            if (Comparable.class.isAssignableFrom(c)) {
                return Comparator.naturalOrder();
            }
            return (a, b) -> {
                for (int i = 0; i < parts.length; i++) {
                    int cmp = parts[i].comparator().compare(Records.get(accessors[i], a), Records.get(accessors[i], b));
                    if (cmp != 0) {
                        return cmp;
                    }
                }
                return 0;
            };
        }

        private static java.lang.invoke.MethodHandle[] accessors(RecordComponent[] components) {
            java.lang.invoke.MethodHandle[] handles = new java.lang.invoke.MethodHandle[components.length];
            for (int i = 0; i < components.length; i++) {
                handles[i] = Records.accessor(components[i]);
            }
            return handles;
        }

        @Override
        public byte[] encode(Record key) {
            byte[][] encoded = new byte[parts.length][];
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                Object part = Records.get(accessors[i], key);
                if (part == null) {
                    throw new NullPointerException("component " + components[i].getName() + " of key "
                            + type().getSimpleName() + " is null; composite key components must not be null");
                }
                encoded[i] = parts[i].encode(part);
                total += encoded[i].length + (i < parts.length - 1 ? 8 : 0);
            }
            ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < parts.length; i++) {
                if (i < parts.length - 1) {
                    out.putLong(encoded[i].length);
                }
                out.put(encoded[i]);
            }
            return out.array();
        }

        @Override
        public Record decode(byte[] bytes, int offset, int length) {
            Object[] values = new Object[parts.length];
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < parts.length; i++) {
                int partLength;
                if (i < parts.length - 1) {
                    if (in.remaining() < 8) {
                        throw new IllegalArgumentException("composite key " + type().getSimpleName() + " is truncated");
                    }
                    long declared = in.getLong();
                    if (declared < 0 || declared > in.remaining()) {
                        throw new IllegalArgumentException("composite key " + type().getSimpleName()
                                + " declares a component of " + declared + " bytes, only " + in.remaining() + " remain");
                    }
                    partLength = (int) declared;
                } else {
                    partLength = in.remaining();
                }
                values[i] = parts[i].decode(bytes, in.position(), partLength);
                in.position(in.position() + partLength);
            }
            return (Record) Records.construct(constructor, values);
        }
    }
}
