package dev.etch.snapshot;

import dev.etch.codec.postcard.PostcardOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one snapshot file in {@link SnapshotFormat} version 3: header, blocks of records,
 * end marker, then fsync. The caller streams records in with {@link #record}; the file is
 * complete only after {@link #finish()}.
 */
public final class SnapshotWriter implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final long expectedRecords;
    private final PostcardOutput block = new PostcardOutput(SnapshotFormat.TARGET_BLOCK + 4096);
    private final PostcardOutput frame = new PostcardOutput(64);
    private long records;
    private long bytes;

    /**
     * Creates (or replaces) the file and writes the header.
     *
     * @param file where to write, normally {@code snapshot.tmp}
     * @param generation the first log segment the snapshot does not cover
     * @param records how many records will follow
     * @throws IOException if the file cannot be created or written
     */
    public SnapshotWriter(Path file, long generation, long records) throws IOException {
        this.file = file;
        this.expectedRecords = records;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            PostcardOutput header = new PostcardOutput(SnapshotFormat.HEADER_SIZE);
            header.writeRaw(SnapshotFormat.MAGIC, 0, SnapshotFormat.MAGIC.length);
            header.writeByte(SnapshotFormat.VERSION);
            header.writeByte(0);
            header.writeByte(0);
            header.writeByte(0);
            header.writeLongLE(generation);
            header.writeLongLE(records);
            header.writeLongLE(SnapshotFormat.XXH3.hashBytesToLong(header.array(), 0, SnapshotFormat.HEADER_HASHED));
            write(header);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Adds one record.
     *
     * @param collection the collection id
     * @param key the encoded key
     * @param value the encoded value
     * @throws IOException if a full block cannot be written
     */
    public void record(int collection, byte[] key, byte[] value) throws IOException {
        block.writeByte(collection);
        block.writeLengthPrefixed(key);
        block.writeLengthPrefixed(value);
        records++;
        if (block.size() >= SnapshotFormat.TARGET_BLOCK) {
            flushBlock();
        }
    }

    /**
     * Writes the last block and the end marker, and fsyncs the file.
     *
     * @return the file's size in bytes
     * @throws IOException if writing or syncing fails
     * @throws IllegalStateException if the number of records differs from the header's
     */
    public long finish() throws IOException {
        if (records != expectedRecords) {
            throw new IllegalStateException("snapshot " + file + " announced " + expectedRecords + " records, "
                    + records + " were written");
        }
        flushBlock();
        frame.reset();
        frame.writeIntLE(0);
        write(frame);
        channel.force(true);
        return bytes;
    }

    private void flushBlock() throws IOException {
        if (block.size() == 0) {
            return;
        }
        frame.reset();
        frame.writeIntLE(block.size());
        write(frame);
        write(block);
        frame.reset();
        frame.writeLongLE(SnapshotFormat.XXH3.hashBytesToLong(block.array(), 0, block.size()));
        write(frame);
        block.reset();
    }

    private void write(PostcardOutput out) throws IOException {
        ByteBuffer buffer = out.asByteBuffer();
        while (buffer.hasRemaining()) {
            bytes += channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
