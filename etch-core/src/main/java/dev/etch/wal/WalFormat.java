package dev.etch.wal;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import dev.etch.EtchException;
import dev.etch.codec.postcard.MalformedPostcardException;
import dev.etch.codec.postcard.PostcardInput;
import dev.etch.codec.postcard.PostcardOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of the write-ahead log ({@code wal.bin}), byte-compatible with etchdb 0.3.2. This
 * class is the only one that knows the layout: {@link WalReader} and the engine's writer go
 * through it.
 *
 * <h2>Header, 16 bytes, once at offset 0</h2>
 * <pre>
 * offset size  field
 *  0     4     magic "EWAL" (45 57 41 4C)   - guards against replaying (or truncating!) a file
 *                                              that is not an Etch log
 *  4     1     version = 3                  - guards against misreading a future layout; any
 *                                              other value fails the open
 *  5     3     zero                         - reserved, written as 0, not checked on read
 *  8     8     snapshot sequence, u64 LE    - which snapshot this log continues; etchdb 0.3.2
 *                                              writes 0 and never reads it
 * </pre>
 *
 * <h2>Entry, one per committed transaction, repeated to the end of the file</h2>
 * <pre>
 * size  field
 *  4    payload length n, u32 LE            - frames the entry; checked against the bytes left in
 *                                              the file before anything is allocated, so a torn
 *                                              or garbage length cannot cause a huge allocation
 *  n    payload (postcard, below)
 *  8    xxh3-64 (seed 0) of the payload, LE - detects a torn write (the tail of the last entry
 *                                              never reached the disk) and bit rot; the length
 *                                              field itself is covered indirectly: a wrong length
 *                                              frames the wrong bytes and the hash fails
 * </pre>
 *
 * <h2>Payload: postcard of {@code Vec<Op>}</h2>
 * <pre>
 * varint            op count                 (LEB128: 7 bits a byte, low group first,
 *                                             high bit = more bytes follow)
 * per op:
 *   varint          variant: 0 = Put, 1 = Delete
 *   1 byte          collection id, raw u8
 *   varint + bytes  key
 *   varint + bytes  value (Put only)
 * </pre>
 * A payload must be consumed exactly: trailing bytes make the entry undecodable, like an
 * unknown variant or a length that runs past the payload.
 *
 * <p>The hash protects every bit of a whole entry, but an entry is only known to be whole if
 * it is followed by the end of the file or by another entry: recovery keeps the longest prefix
 * of whole, verified, decodable entries (see {@link WalReader}).
 */
public final class WalFormat {

    /** The magic at offset 0, as ASCII: {@code 45 57 41 4C}. */
    public static final String MAGIC = "EWAL";
    /** The only format version this class reads and writes. */
    public static final int VERSION = 3;
    /** Bytes before the first entry. */
    public static final int HEADER_SIZE = 16;
    /** Bytes of an entry's length field. */
    public static final int LENGTH_SIZE = 4;
    /** Bytes of an entry's checksum. */
    public static final int CHECKSUM_SIZE = 8;
    /** Bytes an entry adds around its payload: length field and checksum. */
    public static final int ENTRY_OVERHEAD = LENGTH_SIZE + CHECKSUM_SIZE;
    /**
     * The largest payload this implementation writes or reads: the format allows a u32, a Java
     * array holds a little less than 2 GiB.
     */
    public static final int MAX_PAYLOAD_SIZE = PostcardOutput.MAX_CAPACITY - ENTRY_OVERHEAD;
    /** Op variant of a put. */
    public static final int VARIANT_PUT = 0;
    /** Op variant of a delete. */
    public static final int VARIANT_DELETE = 1;

    /** The fewest payload bytes one op takes: variant, collection, empty key length. */
    private static final int MIN_OP_SIZE = 3;
    private static final int OFFSET_VERSION = 4;
    private static final int OFFSET_SNAPSHOT_SEQUENCE = 8;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private WalFormat() {}

    /**
     * Appends the 16-byte header.
     *
     * @param out the buffer to append to
     * @param snapshotSequence the snapshot sequence field; etchdb 0.3.2 writes 0
     */
    public static void appendHeader(PostcardOutput out, long snapshotSequence) {
        out.writeRaw(MAGIC_BYTES, 0, MAGIC_BYTES.length);
        out.writeByte(VERSION);
        out.writeByte(0);
        out.writeByte(0);
        out.writeByte(0);
        out.writeLongLE(snapshotSequence);
    }

    /**
     * The 16-byte header as a new array.
     *
     * @param snapshotSequence the snapshot sequence field; etchdb 0.3.2 writes 0
     * @return the header bytes
     */
    public static byte[] header(long snapshotSequence) {
        PostcardOutput out = new PostcardOutput(HEADER_SIZE);
        appendHeader(out, snapshotSequence);
        return out.toByteArray();
    }

    /**
     * Checks a complete header and returns its snapshot sequence.
     *
     * @param header an array holding at least {@link #HEADER_SIZE} bytes at {@code off}
     * @param off where the header starts
     * @param file the file it was read from, for messages
     * @return the snapshot sequence field
     * @throws EtchException if the magic is not {@code EWAL} (not an Etch log: never truncate
     *     it), or the version is not {@link #VERSION}; the message names the file
     */
    public static long parseHeader(byte[] header, int off, Path file) {
        for (int i = 0; i < MAGIC_BYTES.length; i++) {
            if (header[off + i] != MAGIC_BYTES[i]) {
                throw new EtchException("Not an Etch log: " + file + " starts with "
                        + hex(header, off, MAGIC_BYTES.length) + " instead of the magic 45 57 41 4c (\"EWAL\")."
                        + " The file was left untouched; move it away or point the store at another directory.");
            }
        }
        int version = header[off + OFFSET_VERSION] & 0xFF;
        if (version != VERSION) {
            throw new EtchException("Unsupported log version " + version + " in " + file
                    + "; this version of Etch reads log version " + VERSION
                    + " only. The file was left untouched.");
        }
        return PostcardInput.longLE(header, off + OFFSET_SNAPSHOT_SEQUENCE);
    }

    /**
     * Appends one entry (length, postcard payload, checksum) for a transaction's ops, encoding
     * straight into the buffer: no intermediate array is allocated.
     *
     * <p>The entry's size is computed first: the buffer grows once to hold it, and an entry
     * too large for the format is refused before anything is written. If it throws otherwise,
     * the buffer's content is undefined from its previous size on; callers reset it or
     * discard it.
     *
     * @param ops the transaction's ops, in order; may be empty
     * @param out the buffer to append to, typically reused between transactions
     * @return the number of bytes appended
     * @throws IllegalArgumentException if an op's collection is outside {@code 0..255}
     * @throws EntryTooLargeException if the payload would exceed {@link #MAX_PAYLOAD_SIZE};
     *     the buffer is unchanged
     */
    public static int appendEntry(List<Op> ops, PostcardOutput out) {
        long size = encodedSize(ops);
        if (size - ENTRY_OVERHEAD > MAX_PAYLOAD_SIZE) {
            throw new EntryTooLargeException(size);
        }
        out.ensureRoom((int) size); // a large entry gets its array at once, not by doubling
        int start = out.size();
        out.writeIntLE(0); // patched below, once the payload length is known
        int payloadStart = out.size();
        out.writeVarint(ops.size());
        for (int i = 0, n = ops.size(); i < n; i++) {
            Op op = ops.get(i);
            int collection = op.collection();
            if ((collection & ~0xFF) != 0) {
                throw new IllegalArgumentException("collection id " + collection + " is outside 0..255");
            }
            out.writeVarint(op.isDelete() ? VARIANT_DELETE : VARIANT_PUT);
            out.writeByte(collection);
            out.writeLengthPrefixed(op.key());
            if (!op.isDelete()) {
                out.writeLengthPrefixed(op.value());
            }
        }
        int payloadLength = out.size() - payloadStart;
        out.patchIntLE(start, payloadLength);
        out.writeLongLE(checksum(out.array(), payloadStart, payloadLength));
        return out.size() - start;
    }

    /**
     * The exact number of bytes {@link #appendEntry} appends for these ops, including the length
     * field and the checksum.
     *
     * @param ops the transaction's ops
     * @return the entry size in bytes
     */
    public static long encodedSize(List<Op> ops) {
        long size = ENTRY_OVERHEAD + PostcardOutput.varintSize(ops.size());
        for (int i = 0, n = ops.size(); i < n; i++) {
            Op op = ops.get(i);
            size += 2 + PostcardOutput.varintSize(op.key().length) + op.key().length;
            if (!op.isDelete()) {
                size += PostcardOutput.varintSize(op.value().length) + op.value().length;
            }
        }
        return size;
    }

    /**
     * The checksum of a payload: xxh3-64 with seed 0.
     *
     * @param buf the array holding the payload
     * @param off where it starts
     * @param len its length
     * @return the hash, stored little-endian after the payload
     */
    public static long checksum(byte[] buf, int off, int len) {
        return XXH3.hashBytesToLong(buf, off, len);
    }

    /**
     * Decodes an entry's payload into its ops. Every count and length is checked against the
     * bytes that remain before anything is allocated; keys and values are copied, so the input
     * may be reused afterwards.
     *
     * @param buf the array holding the payload
     * @param off where it starts
     * @param len its length
     * @return the ops, in order, in a new mutable list
     * @throws MalformedEntryException if the payload is not exactly one valid op list; the
     *     message is the reason
     */
    public static List<Op> decodePayload(byte[] buf, int off, int len) throws MalformedEntryException {
        try {
            PostcardInput in = new PostcardInput(buf, off, len);
            int count = in.readLength(MIN_OP_SIZE, "op count");
            List<Op> ops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int variantAt = in.position();
                long variant = in.readVarint(32);
                if (variant != VARIANT_PUT && variant != VARIANT_DELETE) {
                    throw new MalformedPostcardException("unknown op variant " + variant + " (expected 0 = Put or 1 = Delete)", variantAt);
                }
                int collection = in.readUnsignedByte();
                byte[] key = in.readLengthPrefixed();
                byte[] value = variant == VARIANT_PUT ? in.readLengthPrefixed() : null;
                ops.add(new Op(collection, key, value));
            }
            in.expectEnd("the op list");
            return ops;
        } catch (MalformedPostcardException e) {
            throw new MalformedEntryException(e.reason() + " at payload byte " + (e.offset() - off), e);
        }
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b[off + i] & 0xFF));
        }
        return sb.toString();
    }

    /** An entry larger than the format's 32-bit length field can frame. */
    public static final class EntryTooLargeException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        private final long entrySize;

        EntryTooLargeException(long entrySize) {
            super("log entry of " + entrySize + " bytes exceeds the " + MAX_PAYLOAD_SIZE + "-byte payload limit");
            this.entrySize = entrySize;
        }

        /**
         * The size the entry would have had.
         *
         * @return bytes, length field and checksum included
         */
        public long entrySize() {
            return entrySize;
        }
    }
}
