package dev.etch.snapshot;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import dev.etch.codec.postcard.PostcardInput;
import java.util.Arrays;

/**
 * The bytes of an Etch snapshot ({@code snapshot.postcard}, version 3). {@link SnapshotWriter}
 * writes them and {@link SnapshotReader} reads them; nothing else does.
 *
 * <p>Versions 1 and 2 of the {@code ESNA} envelope are etchdb's (postcard of the whole state,
 * raw or zstd); version 3 is this one, built to be streamed, verified piece by piece and
 * never trusted beyond what its checksums prove.
 *
 * <h2>Header, 32 bytes</h2>
 * <pre>
 * offset size  field
 *  0     4     magic "ESNA"                  - not a snapshot otherwise; never read further
 *  4     1     version = 3                   - etchdb's 1 (postcard) is read elsewhere; others fail
 *  5     3     zero                          - reserved
 *  8     8     generation, u64 LE            - the first log segment NOT covered: replay resumes
 *                                              with segment {@code generation}
 * 16     8     record count, u64 LE          - checked against the records actually read, so a
 *                                              snapshot cut at a block boundary is detected
 * 24     8     xxh3-64 of bytes 0..23, LE    - a damaged header is never believed
 * </pre>
 *
 * <h2>Blocks, repeated</h2>
 * <pre>
 * u32 LE   n, the block's length, 1..MAX_BLOCK - checked against the bytes left before any
 *                                                allocation
 * n bytes  records
 * u64 LE   xxh3-64 of the n bytes              - detects a torn or rotted block
 * </pre>
 * A record: collection id (1 raw byte), key (varint length + the log's key encoding), value
 * (varint length + the store's value codec). Records are grouped into blocks of about
 * {@link #TARGET_BLOCK} bytes.
 *
 * <h2>End</h2>
 * <pre>
 * u32 LE   0                                   - the end marker: a snapshot without it is
 *                                                incomplete
 * </pre>
 * and nothing after it.
 */
public final class SnapshotFormat {

    /** The magic bytes at offset 0: {@code "ESNA"}. */
    public static final byte[] MAGIC = {'E', 'S', 'N', 'A'};
    /** etchdb 0.3.2's raw postcard snapshot. */
    public static final int VERSION_ETCHDB_POSTCARD = 1;
    /** etchdb's zstd-compressed snapshot, not read. */
    public static final int VERSION_ETCHDB_ZSTD = 2;
    /** This format. */
    public static final int VERSION = 3;
    /** Bytes of the header. */
    public static final int HEADER_SIZE = 32;
    /** Bytes hashed by the header checksum. */
    static final int HEADER_HASHED = 24;
    /** Records are grouped into blocks of about this size. */
    public static final int TARGET_BLOCK = 1 << 20;
    /** The largest block a reader accepts (a single record larger than this gets its own block). */
    public static final int MAX_BLOCK = Integer.MAX_VALUE - 64;
    /** Bytes around a block: length and checksum. */
    static final int BLOCK_OVERHEAD = 4 + 8;

    static final Hasher64 XXH3 = Hashing.xxh3_64();

    private SnapshotFormat() {}

    /**
     * The version byte of a snapshot file's first bytes, or -1 if they are not an {@code ESNA}
     * envelope.
     *
     * @param head the file's first bytes (at least 5)
     * @return the version, or -1
     */
    public static int version(byte[] head) {
        if (head.length < 5) {
            return -1;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return -1;
            }
        }
        return head[4] & 0xFF;
    }

    /**
     * Whether a header whose version byte is not {@link #VERSION} is an Etch header all the
     * same: with {@link #VERSION} in place of its version byte, its checksum matches. Such a
     * file is an Etch snapshot whose version byte was damaged, not an etchdb snapshot; one
     * flipped bit turns 3 into etchdb's 1 or 2.
     *
     * @param head the file's first bytes
     * @return {@code true} if they hold a whole header that is Etch's apart from its version
     */
    public static boolean isEtchHeaderApartFromVersion(byte[] head) {
        if (head.length < HEADER_SIZE || version(head) < 0 || version(head) == VERSION) {
            return false;
        }
        byte[] repaired = Arrays.copyOf(head, HEADER_HASHED);
        repaired[4] = VERSION;
        return XXH3.hashBytesToLong(repaired) == PostcardInput.longLE(head, HEADER_HASHED);
    }
}
