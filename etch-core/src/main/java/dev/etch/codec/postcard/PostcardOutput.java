package dev.etch.codec.postcard;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte buffer that writes postcard's primitives: LEB128 varints, zigzag varints,
 * raw bytes, little-endian fixed-width numbers and length-prefixed byte strings.
 *
 * <p>It is the one place where Etch writes postcard bytes: the log format and the postcard value
 * codec both write through it. A buffer is meant to be owned by one thread and reused
 * ({@link #reset()}) so that the hot write path allocates nothing once it has grown.
 *
 * <p>Not thread-safe. Capacity is limited to {@link #MAX_CAPACITY}; writing beyond it throws
 * {@link IllegalStateException}.
 */
public final class PostcardOutput {

    /** The largest number of bytes a buffer holds: the largest array the JVM reliably allocates. */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] buf;
    private int size;

    /** An empty buffer with a small initial capacity. */
    public PostcardOutput() {
        this(256);
    }

    /**
     * An empty buffer.
     *
     * @param initialCapacity the initial capacity in bytes; it grows as needed
     * @throws IllegalArgumentException if negative
     */
    public PostcardOutput(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity < 0: " + initialCapacity);
        }
        this.buf = new byte[initialCapacity];
    }

    /**
     * Forgets the content and keeps the capacity.
     *
     * @return this buffer
     */
    public PostcardOutput reset() {
        size = 0;
        return this;
    }

    /**
     * How many bytes have been written since the last {@link #reset()}.
     *
     * @return the size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * The backing array; bytes {@code [0, size())} are the content. The array is replaced when
     * the buffer grows, so callers must not keep it across writes.
     *
     * @return the live backing array, not a copy
     */
    public byte[] array() {
        return buf;
    }

    /**
     * A copy of the content.
     *
     * @return a new array of {@link #size()} bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * The content as a buffer over the live backing array, position 0 and limit {@link #size()},
     * valid until the next write.
     *
     * @return a heap buffer sharing this buffer's bytes
     */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, size);
    }

    /**
     * Makes room for {@code extra} more bytes.
     *
     * @param extra how many bytes are about to be written
     * @throws IllegalStateException if the content would exceed {@link #MAX_CAPACITY}
     */
    public void ensureRoom(int extra) {
        long needed = (long) size + extra;
        if (needed > buf.length) {
            grow(needed);
        }
    }

    private void grow(long needed) {
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("postcard buffer would exceed " + MAX_CAPACITY + " bytes (needed " + needed + ")");
        }
        long doubled = Math.max(16L, (long) buf.length * 2);
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_CAPACITY, Math.max(doubled, needed)));
    }

    /**
     * Writes one raw byte (postcard {@code u8}, {@code i8}).
     *
     * @param b the byte; only the low 8 bits are written
     */
    public void writeByte(int b) {
        if (size == buf.length) {
            grow(size + 1L);
        }
        buf[size++] = (byte) b;
    }

    /**
     * Writes raw bytes, without a length.
     *
     * @param bytes the source
     * @param off where to start in the source
     * @param len how many bytes
     */
    public void writeRaw(byte[] bytes, int off, int len) {
        ensureRoom(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
    }

    /**
     * Writes a byte string as postcard does: varint length, then the bytes.
     *
     * @param bytes the bytes
     */
    public void writeLengthPrefixed(byte[] bytes) {
        writeVarint(bytes.length);
        writeRaw(bytes, 0, bytes.length);
    }

    /**
     * Writes an unsigned LEB128 varint: 7 bits a byte, low group first, high bit set on every
     * byte but the last. The value is taken as unsigned 64-bit, so at most 10 bytes are written.
     *
     * @param value the value, as an unsigned 64-bit pattern
     */
    public void writeVarint(long value) {
        ensureRoom(10);
        byte[] b = buf;
        int p = size;
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        size = p;
    }

    /**
     * Writes a signed value as postcard does for {@code i16}/{@code i32}/{@code i64}: zigzag
     * ({@code 0, -1, 1, -2 → 0, 1, 2, 3}), then an unsigned varint.
     *
     * @param value the signed value
     */
    public void writeZigzag(long value) {
        writeVarint((value << 1) ^ (value >> 63));
    }

    /**
     * Writes a 32-bit little-endian value (used by the log's length field, and {@code f32}).
     *
     * @param value the value
     */
    public void writeIntLE(int value) {
        ensureRoom(4);
        byte[] b = buf;
        int p = size;
        b[p] = (byte) value;
        b[p + 1] = (byte) (value >>> 8);
        b[p + 2] = (byte) (value >>> 16);
        b[p + 3] = (byte) (value >>> 24);
        size = p + 4;
    }

    /**
     * Writes a 64-bit little-endian value (used by the log's checksum, and {@code f64}).
     *
     * @param value the value
     */
    public void writeLongLE(long value) {
        writeIntLE((int) value);
        writeIntLE((int) (value >>> 32));
    }

    /**
     * Overwrites 4 bytes already written with a 32-bit little-endian value, for a length
     * that is known only after its content was written.
     *
     * @param position where the 4 bytes start; {@code position + 4 <= size()}
     * @param value the value
     * @throws IndexOutOfBoundsException if the range was not written yet
     */
    public void patchIntLE(int position, int value) {
        java.util.Objects.checkFromIndexSize(position, 4, size);
        buf[position] = (byte) value;
        buf[position + 1] = (byte) (value >>> 8);
        buf[position + 2] = (byte) (value >>> 16);
        buf[position + 3] = (byte) (value >>> 24);
    }

    /**
     * The length of a string's UTF-8 form, refusing what has none: Java strings may hold an
     * unpaired surrogate, which {@code String.getBytes(UTF_8)} would silently turn into
     * {@code '?'}, so what was stored would differ from what was written.
     *
     * @param s the string
     * @return its UTF-8 length in bytes
     * @throws IllegalArgumentException if it contains an unpaired surrogate, naming the index
     */
    public static long utf8Length(String s) {
        int n = s.length();
        long utf8 = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                utf8 += 1;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8 += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i + "; it has no UTF-8 form");
            } else {
                utf8 += 3;
            }
        }
        return utf8;
    }

    /**
     * Writes a string as postcard does: varint length of its UTF-8 form, then the UTF-8 bytes,
     * encoded straight into the buffer.
     *
     * @param s the string
     * @throws IllegalArgumentException if it contains an unpaired surrogate, which has no UTF-8
     *     form (a Rust {@code String} cannot hold one)
     */
    public void writeString(String s) {
        int n = s.length();
        long utf8 = utf8Length(s);
        writeVarint(utf8);
        if (utf8 > MAX_CAPACITY) {
            throw new IllegalStateException("string too long for a postcard buffer: " + utf8 + " UTF-8 bytes");
        }
        ensureRoom((int) utf8);
        byte[] b = buf;
        int p = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }

    /**
     * The number of bytes {@link #writeVarint(long)} writes for a value.
     *
     * @param value the value, as an unsigned 64-bit pattern
     * @return 1 to 10
     */
    public static int varintSize(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }
}
