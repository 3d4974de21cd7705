package dev.etch.wal;

import dev.etch.codec.postcard.PostcardOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/**
 * Appends entries to {@code wal.bin} and forces them to disk: the only place the log is
 * written and fsynced.
 *
 * <p>Appends come from one thread at a time (the store's writer); {@link #force()} may run on
 * another thread at the same moment, which is what lets writers queue up behind an fsync in
 * progress. Appends use positional writes at {@link #end()}, which after an open is the log's
 * valid end, never the old end of a damaged file.
 *
 * <p>Interrupts: a {@link FileChannel} is closed, for every thread, when a thread blocked in it
 * is interrupted. An application thread interrupted inside a write (a request timeout, an
 * executor shut down) must not break the store, so every operation that finds the channel
 * closed by someone else's interrupt reopens it and retries: positional writes and fsyncs
 * are idempotent. The interrupted thread's interrupt status is restored afterwards.
 *
 * <p>Reserved space: small appends go into space written with zeros ahead of them, a
 * {@value #RESERVE_CHUNK}-byte chunk at a time, so that the file's size does not change on
 * every append. An fdatasync then has only data to write, not the file's new size through the
 * file system's journal: on ext4 a lone write+fsync loop ran 1.4 times as fast over written
 * zeros as appending ({@code RawFsyncBenchmark} in etch-benchmarks, docs/BENCHMARKS.md).
 * {@link WalReader#scan} ends the log cleanly at the zeros ({@link WalScan#zeroTail()}), and
 * {@link #close()} cuts them off, so a log closed cleanly is byte for byte what etchdb
 * writes. Appends larger than {@value #RESERVE_MAX_APPEND} bytes extend the file themselves:
 * reserving ahead of them would write every byte twice.
 */
public final class WalWriter implements AutoCloseable {

    private final Path file;
    /** Replaced only by {@link #reopen} after another thread's interrupt closed it. */
    private volatile FileChannel channel;
    private volatile boolean closed;
    /** Offset of the next append. Written only by the appending thread. */
    private volatile long end;
    /** The file's size: {@link #end} plus reserved zeros. Touched only by the appending thread. */
    private volatile long reservedEnd;

    /** Bytes of zeros reserved at a time. */
    static final int RESERVE_CHUNK = 1 << 20;
    /** Larger appends extend the file by themselves. */
    static final int RESERVE_MAX_APPEND = 64 << 10;
    /**
     * Zeros to reserve with, shared and never written to. Direct, so that writing them does
     * not make the JDK copy them into a temporary direct buffer that it then keeps for every
     * application thread that ever appended a reservation.
     */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();
    /**
     * Entries reach the file through this direct buffer, a piece at a time, for the same
     * reason: written from the heap, each appending thread would have the JDK keep a
     * temporary direct buffer as large as the largest entry it ever appended (megabytes for
     * a large transaction). Touched only by the appending thread.
     */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(256 << 10);

    private WalWriter(Path file, FileChannel channel, long end, long reservedEnd) {
        this.file = file;
        this.channel = channel;
        this.end = end;
        this.reservedEnd = reservedEnd;
    }

    /**
     * Opens a log segment for appending at its valid end; writes and fsyncs a header first if
     * the file has none (new, empty or torn at creation).
     *
     * @param directory the data directory
     * @param generation the segment's generation
     * @param scan the recovery scan of the segment, after any truncation
     * @return the writer
     * @throws IOException if the file cannot be opened or the header written
     */
    public static WalWriter open(DataDirectory directory, long generation, WalScan scan) throws IOException {
        if (!scan.headerPresent()) {
            return create(directory, generation);
        }
        Path file = directory.segment(generation);
        return new WalWriter(file, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ),
                scan.validEnd(), scan.validEnd() + scan.zeroTail());
    }

    /**
     * Creates (or replaces) a log segment holding only its header, and makes it and its
     * directory entry durable, so that entries appended to it can be acknowledged.
     *
     * @param directory the data directory
     * @param generation the segment's generation, also written into its header
     * @return the writer, positioned after the header
     * @throws IOException if the file cannot be created, written or synced; the file is then
     *     removed again (best effort)
     */
    public static WalWriter create(DataDirectory directory, long generation) throws IOException {
        Path file = directory.segment(generation);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeFully(channel, ByteBuffer.wrap(WalFormat.header(generation)), 0);
            channel.force(true);
            directory.sync();
            return new WalWriter(file, channel, WalFormat.HEADER_SIZE, WalFormat.HEADER_SIZE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            // A segment without a durable header holds nothing; leaving it would also make the
            // next open continue the log in it instead of in the segment that was in use.
            try {
                Files.deleteIfExists(file);
            } catch (IOException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /**
     * Writes a buffer of whole entries at the end of the log. Not durable until {@link #force()}.
     *
     * <p>If the write fails, the log is cut back to where it was, so a half-written entry never
     * stays in front of later ones; if even that fails, the exception says so and the caller
     * must stop appending.
     *
     * @param entries the encoded entries
     * @return the new end of the log
     * @throws AppendFailedException if the bytes could not be written; {@link
     *     AppendFailedException#logIntact()} says whether the log was cut back
     */
    public long append(PostcardOutput entries) throws AppendFailedException {
        long start = end;
        long newEnd = start + entries.size();
        try {
            if (newEnd > reservedEnd && entries.size() <= RESERVE_MAX_APPEND) {
                long reserveTo = reservedEnd + RESERVE_CHUNK;
                for (long at = reservedEnd; at < reserveTo; at += ZEROS.capacity()) {
                    long position = at;
                    io(channel -> {
                        writeFully(channel, ZEROS.duplicate(), position);
                        return null;
                    });
                }
                reservedEnd = reserveTo;
            }
            io(channel -> {
                writeStaged(channel, entries.asByteBuffer(), start);
                return null;
            });
        } catch (IOException e) {
            // A failed reservation is handled like a failed append: on a full disk the append
            // fails a little earlier than it would have, and space is never half reserved.
            boolean intact;
            try {
                io(channel -> channel.truncate(start));
                reservedEnd = start;
                intact = true;
            } catch (IOException second) {
                e.addSuppressed(second);
                intact = false;
            }
            throw new AppendFailedException(file, e, intact);
        }
        end = newEnd;
        reservedEnd = Math.max(reservedEnd, newEnd);
        return end;
    }

    /**
     * Writes bytes again at an offset they were already appended at, to retry after a failed
     * fsync (which may have dropped them from the page cache).
     *
     * @param offset where the bytes were appended
     * @param bytes the same bytes
     * @throws IOException if the write fails
     */
    public void rewrite(long offset, byte[] bytes) throws IOException {
        io(channel -> {
            writeFully(channel, ByteBuffer.wrap(bytes), offset);
            return null;
        });
    }

    /**
     * Forces everything appended so far to disk (fdatasync).
     *
     * @throws IOException if the operating system reports a failure
     */
    public void force() throws IOException {
        io(channel -> {
            channel.force(false);
            return null;
        });
    }

    /**
     * Cuts the log back to an offset and forces the change, discarding entries that were
     * appended but could not be made durable.
     *
     * @param offset the new end, the end of the last durable entry
     * @throws IOException if the truncation or the sync fails
     */
    public void truncate(long offset) throws IOException {
        io(channel -> {
            channel.truncate(offset);
            channel.force(true);
            return null;
        });
        end = offset;
        reservedEnd = offset;
    }

    /** One operation on the channel, retried on a reopened channel after an interrupt closed it. */
    private interface ChannelOperation<R> {
        R run(FileChannel channel) throws IOException;
    }

    private <R> R io(ChannelOperation<R> operation) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                FileChannel current = channel;
                try {
                    return operation.run(current);
                } catch (ClosedChannelException e) {
                    if (closed) {
                        throw e;
                    }
                    // Clear our own interrupt (if it was ours) so the retry is not closed again.
                    interrupted |= Thread.interrupted();
                    reopen(current);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void reopen(FileChannel broken) throws IOException {
        if (channel == broken && !closed) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
    }

    /**
     * Where the next entry goes.
     *
     * @return the log's end offset
     */
    public long end() {
        return end;
    }

    /**
     * The log file.
     *
     * @return the path of {@code wal.bin}
     */
    public Path file() {
        return file;
    }

    /**
     * Cuts off the reserved zeros, so that a cleanly closed log is exactly its entries, and
     * closes the file. Call it only after the last append; what is not yet durable is not
     * made durable here. If the cut fails, the zeros stay: they are harmless, the next open
     * ends the log before them.
     *
     * @throws IOException if the file cannot be closed
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (reservedEnd > end) {
                channel.truncate(end);
            }
        } catch (IOException e) {
            LoggerFactory.getLogger(WalWriter.class).warn("Cannot cut the reserved space off {}: {}", file, e.toString());
        } finally {
            channel.close();
        }
    }

    /** Writes {@code source} at {@code position} through {@link #staging}. */
    private void writeStaged(FileChannel channel, ByteBuffer source, long position) throws IOException {
        int from = source.position();
        int length = source.remaining();
        for (int done = 0; done < length;) {
            int n = Math.min(staging.capacity(), length - done);
            staging.clear();
            staging.put(0, source, from + done, n);
            staging.limit(n);
            writeFully(channel, staging, position + done);
            done += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** An append that did not reach the file. */
    public static final class AppendFailedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean logIntact;

        AppendFailedException(Path file, IOException cause, boolean logIntact) {
            super("Cannot append to " + file + ": " + cause.getMessage(), cause);
            this.logIntact = logIntact;
        }

        /**
         * Whether the log was cut back to its end before the append.
         *
         * @return {@code true} if appending may continue
         */
        public boolean logIntact() {
            return logIntact;
        }
    }
}
