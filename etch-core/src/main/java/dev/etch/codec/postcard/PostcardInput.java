package dev.etch.codec.postcard;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads postcard's primitives from a range of a byte array, checking every length against the
 * bytes that remain, so that malformed input can never make it allocate more than the input
 * holds.
 *
 * <p>The one place where Etch reads postcard bytes: the log format and the postcard value codec
 * both read through it. Every failure is a {@link MalformedPostcardException} with the reason and
 * the index. Not thread-safe; cheap to create.
 */
public final class PostcardInput {

    private final byte[] buf;
    private final int end;
    private int pos;

    /**
     * Reads {@code buf[off, off + len)}.
     *
     * @param buf the input
     * @param off the first byte
     * @param len how many bytes may be read
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public PostcardInput(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    /**
     * The index of the next byte to read.
     *
     * @return an index into the input array
     */
    public int position() {
        return pos;
    }

    /**
     * How many bytes are left.
     *
     * @return the remaining byte count
     */
    public int remaining() {
        return end - pos;
    }

    /**
     * Fails unless every byte was read.
     *
     * @param what what was decoded, for the message
     * @throws MalformedPostcardException if bytes are left over
     */
    public void expectEnd(String what) {
        if (pos != end) {
            throw new MalformedPostcardException((end - pos) + " trailing byte(s) after " + what, pos);
        }
    }

    /**
     * Reads one raw byte.
     *
     * @return the byte, {@code 0..255}
     * @throws MalformedPostcardException at the end of the input
     */
    public int readUnsignedByte() {
        if (pos >= end) {
            throw new MalformedPostcardException("input ends where a byte was expected", pos);
        }
        return buf[pos++] & 0xFF;
    }

    /**
     * Reads a boolean: one byte, 0 or 1.
     *
     * @return the value
     * @throws MalformedPostcardException at the end of the input, or for any other byte
     */
    public boolean readBoolean() {
        int b = readUnsignedByte();
        if (b > 1) {
            throw new MalformedPostcardException("invalid boolean byte " + b + " (expected 0 or 1)", pos - 1);
        }
        return b == 1;
    }

    /**
     * Reads an unsigned LEB128 varint of at most {@code bits} bits, as postcard does for
     * {@code u16} (3 bytes), {@code u32} (5 bytes), {@code u64}/{@code usize} (10 bytes).
     *
     * @param bits 16, 32 or 64
     * @return the value, as an unsigned pattern in a {@code long}
     * @throws MalformedPostcardException if the input ends inside the varint, the varint has
     *     more bytes than the type allows, or its value does not fit in {@code bits} bits
     */
    public long readVarint(int bits) {
        int maxBytes = (bits + 6) / 7;
        int start = pos;
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= end) {
                throw new MalformedPostcardException("input ends inside a varint", start);
            }
            int b = buf[pos++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == maxBytes - 1 && bits < 64 ? (b >>> (bits - 7 * i)) != 0 : i == 9 && b > 1) {
                    throw new MalformedPostcardException("varint does not fit in " + bits + " bits", start);
                }
                return value;
            }
        }
        throw new MalformedPostcardException("varint longer than " + maxBytes + " bytes for a " + bits + "-bit value", start);
    }

    /**
     * Reads a zigzag varint of at most {@code bits} bits, as postcard does for {@code i16},
     * {@code i32}, {@code i64}.
     *
     * @param bits 16, 32 or 64
     * @return the signed value
     * @throws MalformedPostcardException as {@link #readVarint(int)}
     */
    public long readZigzag(int bits) {
        long v = readVarint(bits);
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * Reads a length or count ({@code usize} varint) and checks that the input can hold that
     * many items of at least {@code minItemSize} bytes each.
     *
     * @param minItemSize the fewest bytes one item takes; 1 for bytes, treated as 1 if smaller
     * @param what what is counted, for the message
     * @return the count, {@code <= remaining()}
     * @throws MalformedPostcardException if the varint is malformed or the count cannot fit in
     *     the bytes that remain
     */
    public int readLength(int minItemSize, String what) {
        int start = pos;
        long n = readVarint(64);
        long room = (end - pos) / Math.max(1, minItemSize);
        if (n < 0 || n > room) {
            throw new MalformedPostcardException(what + " " + Long.toUnsignedString(n)
                    + " is larger than the remaining " + (end - pos) + " byte(s) can hold", start);
        }
        return (int) n;
    }

    /**
     * Reads a length-prefixed byte string into a new array.
     *
     * @return the bytes
     * @throws MalformedPostcardException if the length is malformed or beyond the end
     */
    public byte[] readLengthPrefixed() {
        int n = readLength(1, "byte string length");
        return readRaw(n);
    }

    /**
     * Reads {@code n} raw bytes into a new array.
     *
     * @param n how many
     * @return the bytes
     * @throws MalformedPostcardException if fewer remain
     */
    public byte[] readRaw(int n) {
        if (n > end - pos) {
            throw new MalformedPostcardException("input ends inside " + n + " raw bytes", pos);
        }
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /**
     * Reads a 32-bit little-endian value.
     *
     * @return the value
     * @throws MalformedPostcardException if fewer than 4 bytes remain
     */
    public int readIntLE() {
        if (end - pos < 4) {
            throw new MalformedPostcardException("input ends inside a 4-byte value", pos);
        }
        int v = intLE(buf, pos);
        pos += 4;
        return v;
    }

    /**
     * Reads a 64-bit little-endian value.
     *
     * @return the value
     * @throws MalformedPostcardException if fewer than 8 bytes remain
     */
    public long readLongLE() {
        if (end - pos < 8) {
            throw new MalformedPostcardException("input ends inside an 8-byte value", pos);
        }
        long v = longLE(buf, pos);
        pos += 8;
        return v;
    }

    /**
     * Reads a string: varint length, then UTF-8 bytes, rejecting invalid UTF-8 as Rust does.
     *
     * @return the string
     * @throws MalformedPostcardException if the length is malformed or beyond the end, or the
     *     bytes are not valid UTF-8
     */
    public String readString() {
        int n = readLength(1, "string length");
        int start = pos;
        pos += n;
        boolean ascii = true;
        for (int i = start; i < start + n; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(buf, start, n, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPostcardException("string is not valid UTF-8", start);
        }
    }

    /**
     * Reads a 32-bit little-endian value from an array.
     *
     * @param b the array
     * @param off the first byte
     * @return the value
     */
    public static int intLE(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    /**
     * Reads a 64-bit little-endian value from an array.
     *
     * @param b the array
     * @param off the first byte
     * @return the value
     */
    public static long longLE(byte[] b, int off) {
        return (intLE(b, off) & 0xFFFFFFFFL) | (long) intLE(b, off + 4) << 32;
    }
}
