package dev.etch.wal;

import dev.etch.WalCorruptedException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link WalReader#scan} found in a log: how far it is valid, what it held, and the first
 * damage, if any.
 *
 * <p>The valid prefix is {@code [0, validEnd)}: the header and every whole entry that passed
 * its checksum and decoded, in order. If only zeros follow it, the log is clean: they are
 * space the writer reserved (no entry starts with a zero length). Otherwise everything from
 * {@code validEnd} on is unreadable; a lenient open cuts it off with {@link WalReader#truncateToValidEnd}, a strict open throws
 * {@link #toCorruptedException()}. Either way the writer must append at {@code validEnd}, never
 * at the old end of the file (etchdb 0.3.2 did, and left a hole of zeros that the next open
 * treated as damage, losing every later entry).
 *
 * @param file the log that was scanned
 * @param fileSize its size when the scan started
 * @param headerPresent whether a whole, valid header was found; {@code false} for an empty,
 *     missing or torn file, which the writer must start with a fresh header
 * @param snapshotSequence the header's snapshot sequence, {@code 0} without a header
 * @param validEnd the offset just past the last good entry (at least
 *     {@link WalFormat#HEADER_SIZE} when the header is present, {@code 0} otherwise)
 * @param zeroTail the zero bytes at the end of the file after {@code validEnd}: space
 *     {@link WalWriter} reserved ahead of its appends, or entries never written. In a clean
 *     scan they follow the last entry directly, and the writer appends over them; after damage
 *     they follow the damaged bytes and are not counted as discarded
 * @param entries good entries, all passed to the visitor
 * @param ops ops in those entries
 * @param damage the first bad thing after {@code validEnd}, empty if the file is whole
 */
public record WalScan(
        Path file,
        long fileSize,
        boolean headerPresent,
        long snapshotSequence,
        long validEnd,
        long zeroTail,
        long entries,
        long ops,
        Optional<Damage> damage) {

    /**
     * Checks the invariants.
     *
     * @param file the log
     * @param fileSize its size
     * @param headerPresent whether the header is whole
     * @param snapshotSequence the header's snapshot sequence
     * @param validEnd end of the valid prefix
     * @param zeroTail zero bytes after it, up to the end of the file
     * @param entries good entries
     * @param ops ops in them
     * @param damage the first damage
     */
    public WalScan {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(damage, "damage");
        if (validEnd < 0 || validEnd > fileSize) {
            throw new IllegalArgumentException("validEnd " + validEnd + " outside [0, " + fileSize + "]");
        }
        if (zeroTail < 0 || zeroTail > fileSize - validEnd) {
            throw new IllegalArgumentException("zeroTail " + zeroTail + " with validEnd " + validEnd + " of " + fileSize);
        }
        if (damage.isEmpty() != (validEnd + zeroTail == fileSize)) {
            throw new IllegalArgumentException("a scan has damage exactly when bytes other than zeros follow the valid end");
        }
    }

    /**
     * Bytes of data after the valid prefix, which a lenient open discards: from the valid
     * end to the last byte that is not zero. A clean scan has none, even with a
     * {@link #zeroTail()}.
     *
     * @return {@code fileSize - validEnd - zeroTail}
     */
    public long bytesAfterValidEnd() {
        return fileSize - validEnd - zeroTail;
    }

    /**
     * Whether the whole file is valid.
     *
     * @return {@code true} if there is no damage
     */
    public boolean isClean() {
        return damage.isEmpty();
    }

    /**
     * Whether the writer must write a header before its first entry: the file is missing,
     * empty, or its creation was torn.
     *
     * @return {@code true} if {@code validEnd} is 0
     */
    public boolean needsHeader() {
        return !headerPresent;
    }

    /**
     * The exception a strict open throws for this scan.
     *
     * @return a {@link WalCorruptedException} naming the file, the damage offset and reason
     * @throws IllegalStateException if the scan is clean
     */
    public WalCorruptedException toCorruptedException() {
        Damage d = damage.orElseThrow(() -> new IllegalStateException("log " + file + " is not damaged"));
        return new WalCorruptedException(file, d.offset(), d.reason());
    }

    /**
     * The first unreadable thing in a log.
     *
     * @param offset where the bad header or entry starts (= {@code validEnd})
     * @param kind what kind of damage
     * @param detail the numbers behind it, for humans
     */
    public record Damage(long offset, Kind kind, String detail) {

        /**
         * Checks the arguments.
         *
         * @param offset where it starts
         * @param kind its kind
         * @param detail its detail
         */
        public Damage {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * The reason for reports and exceptions: the kind's label and the detail.
         *
         * @return for example {@code "checksum mismatch: stored 0x…, computed 0x…"}
         */
        public String reason() {
            return kind.label() + ": " + detail;
        }
    }

    /** Kinds of damage, in the order recovery checks them for an entry. */
    public enum Kind {
        /** The file is shorter than the 16-byte header but starts like one: creation was torn. */
        TORN_HEADER("torn header"),
        /** Fewer bytes than a length field remain, or the file shrank while being read. */
        SHORT_ENTRY("short entry"),
        /** The length field claims more bytes than the rest of the file holds. */
        LENGTH_BEYOND_FILE("length larger than the rest of the file"),
        /** The length is larger than a Java array can hold (only possible in files over 2 GiB). */
        ENTRY_TOO_LARGE("entry too large"),
        /** The stored xxh3 does not match the payload. */
        CHECKSUM_MISMATCH("checksum mismatch"),
        /** The payload passed its checksum but is not a valid op list. */
        UNDECODABLE_PAYLOAD("undecodable payload");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * A short human label.
         *
         * @return the label used in {@link Damage#reason()}
         */
        public String label() {
            return label;
        }
    }
}
