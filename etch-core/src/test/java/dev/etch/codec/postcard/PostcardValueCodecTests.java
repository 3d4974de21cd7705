package dev.etch.codec.postcard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchSchemaException;
import dev.etch.Unsigned;
import dev.etch.ValueCodec;
import java.lang.reflect.AnnotatedType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PostcardValueCodecTests {

    enum Color { RED, GREEN, BLUE }

    record Point(int x, int y) {}

    record Line(Point from, Point to, String label) {}

    record User(@Unsigned long id, String name, String email, boolean active) {}

    record Order(@Unsigned long id, List<@Unsigned Integer> quantities, Optional<String> note, Color color) {}

    /** A state record as etchdb's derive would serialize it for an ESNA v1 snapshot. */
    record Shop(Map<String, User> users, NavigableMap<@Unsigned Long, Order> orders) {}

    record Everything(
            boolean flag, byte b, @Unsigned byte ub, short s, @Unsigned short us, int i, @Unsigned int ui,
            long l, @Unsigned long ul, Boolean boxedFlag, Byte boxedByte, Short boxedShort, Integer boxedInt,
            Long boxedLong, float f, double d, Float boxedFloat, Double boxedDouble, char c, Character boxedChar,
            String text, Optional<Integer> some, Optional<Integer> none, List<String> strings,
            Map<String, Point> points, SortedMap<Integer, String> sorted, NavigableMap<String, List<Color>> colors,
            Color color, UUID uuid, InetAddress ip4, InetAddress ip6, Inet4Address v4, Inet6Address v6,
            Line line, List<Optional<Line>> lines) {}

    record Node(String name, List<Node> children) {}

    record Bytes(byte[] data, List<byte[]> more) {}

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive: " + value);
            }
        }
    }

    // holders whose single component carries the annotated type under test
    record UnsignedLong(@Unsigned long v) {}

    record UnsignedInt(@Unsigned int v) {}

    record UnsignedShort(@Unsigned short v) {}

    record UnsignedLongs(List<@Unsigned Long> v) {}

    record Strings(SortedMap<String, Integer> v) {}

    record WithSet(Set<String> tags) {}

    record Outer(String name, WithSet inner) {}

    record UnsignedString(@Unsigned String v) {}

    record UnsignedList(@Unsigned List<Long> v) {}

    record RawList(@SuppressWarnings("rawtypes") List v) {}

    record Generic<T>(T v) {}

    record Wildcard(List<? extends Number> v) {}

    record IntArray(int[] v) {}

    record Anything(Object v) {}

    private final PostcardValueCodec codec = PostcardValueCodec.instance();

    @Test
    void theFactoryReturnsThePostcardCodec() {
        assertThat(ValueCodec.postcard()).isSameAs(codec);
        assertThat(ValueCodec.postcard().name()).isEqualTo("postcard");
    }

    @Test
    void integersAreZigzagUnlessUnsigned() {
        assertThat(hex(codec.bind(Long.class), -1L)).isEqualTo("01");
        assertThat(hex(codec.bind(Long.class), 1L)).isEqualTo("02");
        assertThat(hex(codec.bind(Integer.class), -1)).isEqualTo("01");
        assertThat(hex(codec.bind(Short.class), (short) -2)).isEqualTo("03");
        assertThat(hex(codec.bind(Long.class), Long.MIN_VALUE)).isEqualTo("ffffffffffffffffff01");
        assertThat(hex(codec.bind(UnsignedLong.class), new UnsignedLong(300))).isEqualTo("ac02");
        assertThat(hex(codec.bind(UnsignedLong.class), new UnsignedLong(-1))).isEqualTo("ffffffffffffffffff01");
        assertThat(hex(codec.bind(UnsignedInt.class), new UnsignedInt(-1))).isEqualTo("ffffffff0f");
        assertThat(hex(codec.bind(UnsignedShort.class), new UnsignedShort((short) -1))).isEqualTo("ffff03");
        assertThat(hex(codec.bind(UnsignedLongs.class), new UnsignedLongs(List.of(1L, 300L)))).isEqualTo("0201ac02");
        assertThat(hex(codec.bind(Byte.class), (byte) -1)).isEqualTo("ff");
    }

    @Test
    void exactBytesOfTheOtherTypes() {
        assertThat(hex(codec.bind(Boolean.class), true)).isEqualTo("01");
        assertThat(hex(codec.bind(String.class), "ü")).isEqualTo("02c3bc");
        assertThat(hex(codec.bind(Character.class), 'é')).isEqualTo("02c3a9");
        assertThat(hex(codec.bind(Float.class), 1.0f)).isEqualTo("0000803f");
        assertThat(hex(codec.bind(Double.class), 1.0)).isEqualTo("000000000000f03f");
        assertThat(hex(codec.bind(byte[].class), new byte[] {1, 2})).isEqualTo("020102");
        assertThat(hex(codec.bind(Color.class), Color.BLUE)).isEqualTo("02");
        assertThat(hex(codec.bind(UUID.class), UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")))
                .isEqualTo("10" + "00112233445566778899aabbccddeeff");
        assertThat(hex(codec.bind(InetAddress.class), address("127.0.0.1"))).isEqualTo("007f000001");
        assertThat(hex(codec.bind(InetAddress.class), address("::1"))).isEqualTo("01" + "00".repeat(15) + "01");
        assertThat(hex(codec.bind(Inet4Address.class), (Inet4Address) address("10.0.0.2"))).isEqualTo("0a000002");
        assertThat(hex(codec.bind(Inet6Address.class), (Inet6Address) address("fe80::1"))).isEqualTo("fe80" + "00".repeat(13) + "01");
        assertThat(hex(codec.bind(Strings.class), new Strings(new TreeMap<>(Map.of("b", 2, "a", 1))))).isEqualTo("02016102016204");
    }

    @Test
    void optionalEnumAndNestedRecordsHandChecked() {
        // Order { id: 300 (u64), quantities: vec![1, 2] (u32), note: Some("hi"), color: Green }
        assertThat(hex(codec.bind(Order.class), new Order(300, List.of(1, 2), Optional.of("hi"), Color.GREEN)))
                .isEqualTo("ac02" + "020102" + "01026869" + "01");
        assertThat(hex(codec.bind(Order.class), new Order(1, List.of(), Optional.empty(), Color.RED)))
                .isEqualTo("01" + "00" + "00" + "00");
        // Line { from: Point { x: 1, y: -1 }, to: Point { x: 0, y: 64 }, label: "" } with zigzag i32s
        assertThat(hex(codec.bind(Line.class), new Line(new Point(1, -1), new Point(0, 64), "")))
                .isEqualTo("0201" + "008001" + "00");
    }

    @Test
    void aStateRecordDecodesAsAnEtchdbSnapshotPayload() {
        PostcardBinding<Shop> shop = codec.bind(Shop.class);
        // Shop { users: {"a": User{1, "A", "e", true}}, orders: {} }
        byte[] bytes = HexFormat.of().parseHex("01" + "0161" + "01" + "0141" + "0165" + "01" + "00");

        Shop decoded = shop.decode(bytes, 0, bytes.length);

        assertThat(decoded.users()).isInstanceOf(HashMap.class).containsExactly(Map.entry("a", new User(1, "A", "e", true)));
        assertThat(decoded.orders()).isInstanceOf(TreeMap.class).isEmpty();
        assertThat(shop.encode(decoded)).isEqualTo(bytes);

        TreeMap<Long, Order> orders = new TreeMap<>();
        for (long id = 1; id <= 200; id++) {
            orders.put(id * 1000, new Order(id * 1000, List.of((int) id), id % 2 == 0 ? Optional.of("n" + id) : Optional.empty(), Color.values()[(int) (id % 3)]));
        }
        Shop big = new Shop(Map.of("a", new User(1, "A", "e", true), "b", new User(-1, "Bé", "b@x", false)), orders);
        assertThat(roundTrip(shop, big)).isEqualTo(big);
    }

    @Test
    void everySupportedTypeRoundTrips() {
        Everything e = new Everything(true, (byte) -7, (byte) 200, (short) -300, (short) 65000, Integer.MIN_VALUE, -5,
                Long.MIN_VALUE, -1L, false, Byte.MAX_VALUE, Short.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
                -0.5f, Double.MAX_VALUE, Float.NaN, Double.NEGATIVE_INFINITY, 'x', '\u20ac',
                "text with ünïcödé and 😀", Optional.of(42), Optional.empty(), List.of("a", "", "c"),
                Map.of("p", new Point(3, 4)), new TreeMap<>(Map.of(2, "two", -1, "minus one")),
                new TreeMap<>(Map.of("rgb", List.of(Color.RED, Color.GREEN, Color.BLUE))), Color.GREEN,
                UUID.randomUUID(), address("192.168.1.1"), address("2001:db8::ff00:42:8329"),
                (Inet4Address) address("8.8.8.8"), ipv4MappedIpv6(),
                new Line(new Point(1, 2), new Point(3, 4), "l"),
                List.of(Optional.empty(), Optional.of(new Line(new Point(0, 0), new Point(-1, -1), "m"))));

        Everything back = roundTrip(codec.bind(Everything.class), e);

        assertThat(back).isEqualTo(e);
        assertThat(back.v6()).isInstanceOf(Inet6Address.class);
        assertThat(back.sorted()).isInstanceOf(TreeMap.class);
    }

    @Test
    void byteArraysAndRecursiveRecordsRoundTrip() {
        Bytes b = roundTrip(codec.bind(Bytes.class), new Bytes(new byte[] {1, -2, 3}, List.of(new byte[0], new byte[] {9})));
        assertThat(b.data()).containsExactly(1, -2, 3);
        assertThat(b.more()).hasSize(2);
        assertThat(b.more().get(1)).containsExactly(9);

        Node tree = new Node("root", List.of(new Node("a", List.of()), new Node("b", List.of(new Node("c", List.of())))));
        assertThat(roundTrip(codec.bind(Node.class), tree)).isEqualTo(tree);
    }

    @Test
    void typeUseAnnotationsReachTheCodecThroughBindAnnotatedType() {
        AnnotatedType listOfUnsigned = UnsignedLongs.class.getRecordComponents()[0].getAnnotatedType();
        ValueCodec.Binding<List<Long>> binding = ValueCodec.postcard().bind(listOfUnsigned);
        byte[] bytes = binding.encode(List.of(300L, -1L));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("02ac02ffffffffffffffffff01");
        assertThat(binding.decode(bytes, 0, bytes.length)).containsExactly(300L, -1L);
    }

    @Test
    void unsupportedTypesFailAtBindTimeNamingTypeAndComponent() {
        assertBindFails(WithSet.class, "WithSet.tags", "java.util.Set<java.lang.String>", "java.util.Set is not supported");
        assertBindFails(Outer.class, "WithSet.tags", "in " + Outer.class.getName());
        assertBindFails(UnsignedString.class, "UnsignedString.v", "@Unsigned applies to short, int, long");
        assertBindFails(UnsignedList.class, "UnsignedList.v", "List<@Unsigned Long>");
        assertBindFails(RawList.class, "RawList.v", "raw List; declare its type arguments");
        assertBindFails(Generic.class, "Generic.v", "type variables");
        assertBindFails(Wildcard.class, "Wildcard.v[element]", "wildcards");
        assertBindFails(IntArray.class, "IntArray.v", "arrays other than byte[]");
        assertBindFails(Anything.class, "Anything.v", "java.lang.Object is not supported");
        assertBindFails(Thread.class, "the value type", "java.lang.Thread is not supported");
    }

    @Test
    void malformedInputFailsWithReasonsAndNeverAllocatesBeyondIt() {
        assertDecodeFails(User.class, "2a0141", "input ends");                              // truncated string field
        assertDecodeFails(User.class, "2a01410161", "input ends where a byte was expected"); // missing bool
        assertDecodeFails(User.class, "2a" + "ffffffff0f" + "41", "string length 4294967295 is larger than the remaining 1 byte(s)");
        assertDecodeFails(User.class, "2a014101610102", "1 trailing byte(s) after a value of");
        assertDecodeFails(User.class, "2a0141016102", "invalid boolean byte 2");
        assertDecodeFails(User.class, "2a02c328016101", "not valid UTF-8");
        assertDecodeFails(UnsignedLongs.class, "ffffffffffffffff7f", "list length");
        assertDecodeFails(UnsignedInt.class, "ffffffff1f", "does not fit in 32 bits");
        assertDecodeFails(UnsignedInt.class, "ffffffffff01", "varint longer than 5 bytes");
        assertDecodeFails(UnsignedShort.class, "ffff04", "does not fit in 16 bits");
        assertDecodeFails(Long.class, "ffffffffffffffffff02", "does not fit in 64 bits");
        assertDecodeFails(Color.class, "03", "variant index 3 out of range");
        assertDecodeFails(Order.class, "0100" + "02", "invalid Option tag 2");
        assertDecodeFails(UUID.class, "0f" + "00".repeat(16), "a UUID must be 16 bytes");
        assertDecodeFails(InetAddress.class, "027f000001", "unknown IpAddr variant 2");
        assertDecodeFails(InetAddress.class, "017f000001", "input ends inside 16 raw bytes");
        assertDecodeFails(Character.class, "026869", "one Unicode scalar value");
        assertDecodeFails(Character.class, "04f09f9880", "outside the range of a Java char");
        assertDecodeFails(Shop.class, "ffffffff0f", "map length 4294967295 is larger");
        assertDecodeFails(String.class, "", "input ends inside a varint");
    }

    @Test
    void aRecordConstructorRejectingDecodedValuesPropagates() {
        PostcardBinding<Positive> positive = codec.bind(Positive.class);
        byte[] minusOne = {0x01};
        assertThatThrownBy(() -> positive.decode(minusOne, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value must be positive: -1");
    }

    @Test
    void valuesWithoutAnEncodingFailToEncode() {
        assertThatThrownBy(() -> codec.bind(User.class).encode(new User(1, null, "e", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("User.name is null");
        assertThatThrownBy(() -> codec.bind(String.class).encode("bad \ud800 surrogate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> codec.bind(WithStrings.class).encode(new WithStrings(withNull)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("list element is null");
    }

    record WithStrings(List<String> v) {}

    private static <V> String hex(PostcardBinding<V> binding, V value) {
        byte[] bytes = binding.encode(value);
        assertThat(roundTrip(binding, value)).isNotNull();
        return HexFormat.of().formatHex(bytes);
    }

    private static <V> V roundTrip(PostcardBinding<V> binding, V value) {
        byte[] bytes = binding.encode(value);
        byte[] padded = new byte[bytes.length + 3]; // decode from the middle of a larger array
        System.arraycopy(bytes, 0, padded, 1, bytes.length);
        return binding.decode(padded, 1, bytes.length);
    }

    private void assertBindFails(Class<?> type, String... fragments) {
        assertThatThrownBy(() -> codec.bind(type))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("Postcard codec cannot bind")
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    private void assertDecodeFails(Class<?> type, String hex, String reason) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        PostcardBinding<?> binding = codec.bind(type);
        assertThatThrownBy(() -> binding.decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedPostcardException.class)
                .hasMessageContaining(reason);
    }

    /** Java turns "::ffff:1.2.3.4" into an Inet4Address; Rust keeps it an Ipv6Addr, and so must decoding. */
    private static Inet6Address ipv4MappedIpv6() {
        try {
            return Inet6Address.getByAddress(null, HexFormat.of().parseHex("00000000000000000000ffff01020304"), -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress address(String literal) {
        try {
            byte[] octets = InetAddress.getByName(literal).getAddress();
            return octets.length == 16 ? Inet6Address.getByAddress(null, octets, -1) : InetAddress.getByAddress(octets);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
