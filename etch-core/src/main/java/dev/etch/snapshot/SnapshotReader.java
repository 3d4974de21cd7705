package dev.etch.snapshot;

import dev.etch.WalCorruptedException;
import dev.etch.codec.postcard.MalformedPostcardException;
import dev.etch.codec.postcard.PostcardInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a snapshot in {@link SnapshotFormat} version 3, verifying every checksum, and hands
 * each record to a visitor. Any damage (a bad header, a short or rotted block, a missing end
 * marker, a record count that does not match) is a {@link WalCorruptedException} naming the
 * file and the offset; nothing is allocated beyond what the file holds.
 */
public final class SnapshotReader {

    private SnapshotReader() {}

    /** Receives the records of a snapshot. */
    @FunctionalInterface
    public interface RecordVisitor {
        /**
         * One record. The arrays are the visitor's to keep.
         *
         * @param collection the collection id
         * @param key the encoded key
         * @param value the encoded value
         */
        void record(int collection, byte[] key, byte[] value);
    }

    /**
     * The header of a snapshot.
     *
     * @param generation the first log segment the snapshot does not cover
     * @param records how many records it holds
     */
    public record Header(long generation, long records) {}

    /**
     * Reads a whole snapshot.
     *
     * @param file the snapshot file
     * @param visitor receives every record, in file order
     * @return the header
     * @throws WalCorruptedException if the file is damaged or incomplete
     * @throws IOException if the file cannot be read
     * @throws RuntimeException whatever the visitor throws, unchanged
     */
    public static Header read(Path file, RecordVisitor visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] head = readExactly(channel, 0, SnapshotFormat.HEADER_SIZE, size, file);
            if (SnapshotFormat.version(head) != SnapshotFormat.VERSION) {
                throw new WalCorruptedException(file, 0, "not an Etch snapshot of version " + SnapshotFormat.VERSION);
            }
            long stored = PostcardInput.longLE(head, SnapshotFormat.HEADER_HASHED);
            if (stored != SnapshotFormat.XXH3.hashBytesToLong(head, 0, SnapshotFormat.HEADER_HASHED)) {
                throw new WalCorruptedException(file, 0, "header checksum mismatch");
            }
            Header header = new Header(PostcardInput.longLE(head, 8), PostcardInput.longLE(head, 16));
            long position = SnapshotFormat.HEADER_SIZE;
            long records = 0;
            while (true) {
                byte[] lengthBytes = readExactly(channel, position, 4, size, file);
                int length = PostcardInput.intLE(lengthBytes, 0);
                if (length == 0) {
                    position += 4;
                    break;
                }
                if (length < 0 || length > SnapshotFormat.MAX_BLOCK
                        || length > size - position - SnapshotFormat.BLOCK_OVERHEAD) {
                    throw new WalCorruptedException(file, position, "block length " + Integer.toUnsignedString(length)
                            + " is larger than the rest of the file");
                }
                byte[] block = readExactly(channel, position + 4, length + 8, size, file);
                long checksum = PostcardInput.longLE(block, length);
                if (checksum != SnapshotFormat.XXH3.hashBytesToLong(block, 0, length)) {
                    throw new WalCorruptedException(file, position, "block checksum mismatch");
                }
                records += visitBlock(block, length, visitor, file, position);
                position += SnapshotFormat.BLOCK_OVERHEAD + length;
            }
            if (position != size) {
                throw new WalCorruptedException(file, position, (size - position) + " bytes after the end marker");
            }
            if (records != header.records()) {
                throw new WalCorruptedException(file, position, "the header announces " + header.records()
                        + " records, the blocks hold " + records);
            }
            return header;
        }
    }

    private static long visitBlock(byte[] block, int length, RecordVisitor visitor, Path file, long offset) {
        PostcardInput in = new PostcardInput(block, 0, length);
        long records = 0;
        try {
            while (in.remaining() > 0) {
                int collection = in.readUnsignedByte();
                byte[] key = in.readLengthPrefixed();
                byte[] value = in.readLengthPrefixed();
                visitor.record(collection, key, value);
                records++;
            }
        } catch (MalformedPostcardException e) {
            throw new WalCorruptedException(file, offset, "undecodable record in block: " + e.getMessage());
        }
        return records;
    }

    private static byte[] readExactly(FileChannel channel, long position, int length, long size, Path file)
            throws IOException {
        if (position + length > size) {
            throw new WalCorruptedException(file, position, "the file ends inside "
                    + (position == 0 ? "the header" : "a block") + " (incomplete snapshot)");
        }
        byte[] bytes = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new WalCorruptedException(file, at, "unexpected end of file");
            }
            at += n;
        }
        return bytes;
    }
}
