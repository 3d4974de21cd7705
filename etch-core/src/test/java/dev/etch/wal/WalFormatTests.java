package dev.etch.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchException;
import dev.etch.codec.postcard.PostcardOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalFormatTests {

    private static final Path FILE = Path.of("wal.bin");

    @Test
    void headerIsMagicVersionZerosAndSequence() {
        assertThat(HexFormat.of().formatHex(WalFormat.header(0))).isEqualTo("4557414c030000000000000000000000");
        assertThat(HexFormat.of().formatHex(WalFormat.header(0x0102))).isEqualTo("4557414c030000000201000000000000");
        assertThat(WalFormat.parseHeader(WalFormat.header(77), 0, FILE)).isEqualTo(77);
    }

    @Test
    void wrongMagicAndOtherVersionFailNamingTheFile() {
        byte[] foreign = "SQLite format 3\0".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> WalFormat.parseHeader(foreign, 0, FILE))
                .isInstanceOf(EtchException.class)
                .hasMessageContaining("Not an Etch log: wal.bin");
        byte[] v4 = WalFormat.header(0);
        v4[4] = 4;
        assertThatThrownBy(() -> WalFormat.parseHeader(v4, 0, FILE))
                .isInstanceOf(EtchException.class)
                .hasMessageContaining("version 4")
                .hasMessageContaining("log version 3")
                .hasMessageContaining("wal.bin");
    }

    @Test
    void entryIsLengthPayloadChecksumAndDecodesBack() throws Exception {
        List<Op> ops = List.of(Op.put(0, bytes("k"), bytes("v1")), Op.delete(7, bytes("gone")));
        PostcardOutput out = new PostcardOutput(0);
        out.writeByte(0xAA); // entries append after what the buffer already holds
        int n = WalFormat.appendEntry(ops, out);

        assertThat(n).isEqualTo(out.size() - 1).isEqualTo(WalFormat.encodedSize(ops));
        // count 2 | Put 0, coll 0, key "k", value "v1" | Delete 1, coll 7, key "gone"
        assertThat(HexFormat.of().formatHex(out.array(), 1, 5 + 15)).isEqualTo("0f000000" + "02" + "0000016b02" + "7631" + "010704676f6e65");
        long stored = dev.etch.codec.postcard.PostcardInput.longLE(out.array(), 5 + 15);
        assertThat(stored).isEqualTo(WalFormat.checksum(out.array(), 5, 15));

        List<Op> decoded = WalFormat.decodePayload(out.array(), 5, 15);
        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0).collection()).isZero();
        assertThat(decoded.get(0).key()).isEqualTo(bytes("k"));
        assertThat(decoded.get(0).value()).isEqualTo(bytes("v1"));
        assertThat(decoded.get(1).isDelete()).isTrue();
        assertThat(decoded.get(1).collection()).isEqualTo(7);
    }

    @Test
    void encodedSizeMatchesForLongVarints() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ops.add(i % 3 == 0 ? Op.delete(255, new byte[i]) : Op.put(i, new byte[i * 3], new byte[20_000]));
        }
        PostcardOutput out = new PostcardOutput();
        assertThat((long) WalFormat.appendEntry(ops, out)).isEqualTo(WalFormat.encodedSize(ops));
    }

    @Test
    void collectionOutsideAByteIsRejected() {
        assertThatThrownBy(() -> WalFormat.appendEntry(List.of(Op.delete(256, new byte[0])), new PostcardOutput()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    @Test
    void malformedPayloadsFailWithReasons() {
        assertMalformed("", "input ends inside a varint");
        assertMalformed("80", "input ends inside a varint");
        assertMalformed("ffffffffffffffffffff01", "varint longer than 10 bytes");
        assertMalformed("ffffffffffffffffff7f", "does not fit in 64 bits");
        assertMalformed("0100000568", "remaining 1 byte(s)"); // key of 5 bytes, 1 present
        assertMalformed("01000003616263", "input ends inside a varint"); // put without value
        assertMalformed("0102000161", "unknown op variant 2");
        assertMalformed("0101000161ff", "1 trailing byte(s) after the op list");
        assertMalformed("ffffffff0f", "op count 4294967295 is larger than the remaining 0 byte(s) can hold");
        assertMalformed("0101000fff", "byte string length 15 is larger than the remaining 1 byte(s)");
    }

    @Test
    void emptyOpListRoundTrips() throws Exception {
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendEntry(List.of(), out);
        assertThat(HexFormat.of().formatHex(out.array(), 0, 5)).isEqualTo("0100000000");
        assertThat(WalFormat.decodePayload(out.array(), 4, 1)).isEmpty();
    }

    private static void assertMalformed(String hex, String reason) {
        byte[] payload = HexFormat.of().parseHex(hex);
        byte[] padded = new byte[payload.length + 4]; // decode from an offset inside a larger array
        System.arraycopy(payload, 0, padded, 2, payload.length);
        assertThatThrownBy(() -> WalFormat.decodePayload(padded, 2, payload.length))
                .isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("at payload byte");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
