package dev.etch.wal;

import dev.etch.EtchException;
import dev.etch.EtchStorageException;
import dev.etch.codec.postcard.PostcardInput;
import dev.etch.wal.WalScan.Damage;
import dev.etch.wal.WalScan.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery: reads a log once, front to back, and hands every good entry to a visitor.
 *
 * <p>The file is streamed through a bounded window (1 MiB, grown only as far as the largest
 * entry, which is never more than the file holds), so logs of many gigabytes are replayed in
 * little memory. Each entry is accepted only if its length fits in the rest of the file, its
 * xxh3 matches and its payload decodes; the scan stops at the first entry that fails and
 * reports it in {@link WalScan}. Nothing is ever written by {@link #scan}; cutting the damage
 * off is {@link #truncateToValidEnd}, a separate decision of the caller.
 *
 * <p>Scans that take longer than about two seconds log their progress at INFO every two
 * seconds.
 */
public final class WalReader {

    private static final Logger log = LoggerFactory.getLogger(WalReader.class);
    /** How much of a zero tail is read at a time. */
    private static final int ZERO_CHECK_CHUNK = 64 << 10;

    private static final int WINDOW_SIZE = 1 << 20;
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private WalReader() {}

    /**
     * Receives the good entries of a log, in order.
     */
    @FunctionalInterface
    public interface EntryVisitor {

        /**
         * Called once per good entry.
         *
         * @param ops the entry's ops, in order; the list and its arrays are the visitor's to keep
         * @param entryEnd the file offset just past this entry: the valid end if the log stopped
         *     here
         * @throws RuntimeException anything the visitor throws ends the scan and reaches the
         *     caller of {@link WalReader#scan} unchanged (it is not log damage)
         */
        void entry(List<Op> ops, long entryEnd);
    }

    /**
     * Reads a log and visits each good entry.
     *
     * <p>The header decides what the file is: a missing or empty file is a new log (clean, no
     * header); 1 to 15 bytes that start like a header are a torn creation (reported as
     * {@link Kind#TORN_HEADER}, valid end 0); anything else that is not {@code EWAL} version 3
     * fails.
     *
     * @param file the log file
     * @param visitor receives every good entry
     * @return how far the log is valid and what it held
     * @throws EtchException if the file is not an Etch log (wrong magic) or has another format
     *     version; the message names the file (and the versions). Never ignore this: the file
     *     must not be truncated
     * @throws EtchStorageException if the file cannot be read
     * @throws RuntimeException whatever the visitor throws, unchanged
     */
    public static WalScan scan(Path file, EntryVisitor visitor) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return scan(file, channel, visitor);
        } catch (NoSuchFileException e) {
            return new WalScan(file, 0, false, 0, 0, 0, 0, 0, Optional.empty());
        } catch (IOException e) {
            throw new EtchStorageException("Cannot read log " + file + ": " + e.getMessage(), e);
        }
    }

    private static WalScan scan(Path file, FileChannel channel, EntryVisitor visitor) throws IOException {
        long size = channel.size();
        Window window = new Window(channel, size);
        if (size < WalFormat.HEADER_SIZE) {
            return shortHeader(file, size, window);
        }
        int h = window.fill(0, WalFormat.HEADER_SIZE);
        if (h < 0) {
            throw new EtchStorageException("Log " + file + " shrank while being opened", null);
        }
        long snapshotSequence = WalFormat.parseHeader(window.buf, h, file);

        Progress progress = new Progress(file, size);
        long pos = WalFormat.HEADER_SIZE;
        long entries = 0;
        long ops = 0;
        Damage damage = null;
        long zeroTail = 0;
        while (pos < size) {
            long remaining = size - pos;
            if (remaining < WalFormat.LENGTH_SIZE) {
                if (zerosToEnd(channel, pos, size)) {
                    zeroTail = remaining;
                } else {
                    damage = new Damage(pos, Kind.SHORT_ENTRY,
                            "only " + remaining + " byte(s) left, fewer than a length field");
                }
                break;
            }
            int at = window.fill(pos, WalFormat.LENGTH_SIZE);
            if (at < 0) {
                damage = new Damage(pos, Kind.SHORT_ENTRY, "the file ended while the length field was being read");
                break;
            }
            long payloadLength = Integer.toUnsignedLong(PostcardInput.intLE(window.buf, at));
            // No entry has a zero length (the payload holds at least the op count), so zeros
            // from here to the end are the writer's reserved space, not damage.
            if (payloadLength == 0 && zerosToEnd(channel, pos, size)) {
                zeroTail = remaining;
                break;
            }
            long entryLength = WalFormat.ENTRY_OVERHEAD + payloadLength;
            if (entryLength > remaining) {
                damage = new Damage(pos, Kind.LENGTH_BEYOND_FILE, "entry claims " + payloadLength
                        + " payload bytes (" + entryLength + " with length and checksum) but only " + remaining
                        + " bytes remain (torn write or corrupt length field)");
                break;
            }
            if (payloadLength > WalFormat.MAX_PAYLOAD_SIZE) {
                damage = new Damage(pos, Kind.ENTRY_TOO_LARGE, "payload of " + payloadLength
                        + " bytes exceeds the largest this implementation reads, " + WalFormat.MAX_PAYLOAD_SIZE);
                break;
            }
            int n = (int) payloadLength;
            at = window.fill(pos, (int) entryLength);
            if (at < 0) {
                damage = new Damage(pos, Kind.SHORT_ENTRY, "the file ended while the entry was being read");
                break;
            }
            int payload = at + WalFormat.LENGTH_SIZE;
            long stored = PostcardInput.longLE(window.buf, payload + n);
            long computed = WalFormat.checksum(window.buf, payload, n);
            if (stored != computed) {
                damage = new Damage(pos, Kind.CHECKSUM_MISMATCH, String.format(
                        "stored xxh3 %016x, computed %016x over %d payload bytes", stored, computed, n));
                break;
            }
            List<Op> decoded;
            try {
                decoded = WalFormat.decodePayload(window.buf, payload, n);
            } catch (MalformedEntryException e) {
                damage = new Damage(pos, Kind.UNDECODABLE_PAYLOAD, e.getMessage());
                break;
            }
            pos += entryLength;
            entries++;
            ops += decoded.size();
            visitor.entry(decoded, pos);
            progress.tick(entries, pos);
        }
        progress.done(entries, pos);
        if (damage != null) {
            zeroTail = trailingZeros(channel, pos, size);
        }
        return new WalScan(file, size, true, snapshotSequence, pos, zeroTail, entries, ops,
                Optional.ofNullable(damage));
    }

    private static boolean zerosToEnd(FileChannel channel, long pos, long size) throws IOException {
        return trailingZeros(channel, pos, size) == size - pos;
    }

    /**
     * The size of a log file without the zeros at its end, which are space the writer
     * reserved and hold nothing: what is lost if the whole file is discarded.
     *
     * @param file the log
     * @return its size, less its trailing zero bytes
     * @throws IOException if the file cannot be read
     */
    public static long bytesBeforeZeroTail(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            return size - trailingZeros(channel, 0, size);
        }
    }

    /**
     * Zero bytes at the end of the file after {@code validEnd}, read backwards from the end:
     * space the writer had reserved, which is neither damage nor discarded data.
     */
    private static long trailingZeros(FileChannel channel, long validEnd, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(1, Math.min(ZERO_CHECK_CHUNK, size - validEnd)));
        long end = size;
        while (end > validEnd) {
            int n = (int) Math.min(chunk.capacity(), end - validEnd);
            chunk.clear().limit(n);
            long from = end - n;
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, from + chunk.position()) < 0) {
                    return size - end; // the file shrank: count what was seen
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    return size - (from + i + 1);
                }
            }
            end = from;
        }
        return size - end;
    }

    /** A file shorter than a header: empty (new), a torn creation of ours, or not ours at all. */
    private static WalScan shortHeader(Path file, long size, Window window) throws IOException {
        if (size == 0) {
            return new WalScan(file, 0, false, 0, 0, 0, 0, 0, Optional.empty());
        }
        int at = window.fill(0, (int) size);
        if (at < 0) {
            throw new EtchStorageException("Log " + file + " shrank while being opened", null);
        }
        // Only a prefix of a header we would have written counts as torn; anything else is
        // checked like a full header so that a foreign file fails instead of being truncated.
        byte[] expected = WalFormat.header(0);
        byte[] padded = Arrays.copyOf(expected, WalFormat.HEADER_SIZE);
        System.arraycopy(window.buf, at, padded, 0, (int) size);
        WalFormat.parseHeader(padded, 0, file);
        return new WalScan(file, size, false, 0, 0, 0, 0, 0, Optional.of(new Damage(0, Kind.TORN_HEADER,
                "file has " + size + " of the header's " + WalFormat.HEADER_SIZE + " bytes (creation was interrupted)")));
    }

    /**
     * Cuts the log at the scan's valid end and fsyncs the file, so the damage is gone before
     * anything new is appended. The writer must then append at {@link WalScan#validEnd()} (and
     * write a header first if {@link WalScan#needsHeader()}); appending at the old end would
     * leave a hole.
     *
     * @param scan the result of {@link #scan} on this file, with nothing written since
     * @return the number of bytes of data removed, {@link WalScan#bytesAfterValidEnd()}: the
     *     reserved zeros after the damage are cut too, but not counted
     * @throws EtchStorageException if the file cannot be truncated or synced
     * @throws IllegalStateException if the file is now shorter than the valid end (something
     *     else changed it since the scan)
     */
    public static long truncateToValidEnd(WalScan scan) {
        if (scan.isClean()) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(scan.file(), StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < scan.validEnd()) {
                throw new IllegalStateException("log " + scan.file() + " is " + size + " bytes, shorter than its valid end "
                        + scan.validEnd() + "; it changed since it was scanned");
            }
            channel.truncate(scan.validEnd());
            channel.force(true);
            log.warn("Cut log {} at offset {}: discarded {} byte(s) ({}){}", scan.file(), scan.validEnd(),
                    scan.bytesAfterValidEnd(), scan.damage().map(Damage::reason).orElse("?"),
                    scan.zeroTail() > 0 ? ", and " + scan.zeroTail() + " reserved zero byte(s) after them" : "");
            return scan.bytesAfterValidEnd();
        } catch (IOException e) {
            throw new EtchStorageException("Cannot truncate log " + scan.file() + " at offset " + scan.validEnd()
                    + ": " + e.getMessage() + ". Nothing was appended; the store cannot open until this succeeds.", e);
        }
    }

    /** A forward-only window over the file: bytes {@code [start, start + limit)} of the file are in {@code buf[0, limit)}. */
    private static final class Window {
        private final FileChannel channel;
        byte[] buf;
        private long start;
        private int limit;

        Window(FileChannel channel, long fileSize) {
            this.channel = channel;
            this.buf = new byte[(int) Math.min(WINDOW_SIZE, fileSize)]; // small logs get small windows
        }

        /**
         * Makes file bytes {@code [pos, pos + n)} available in {@link #buf}.
         *
         * @return the index of {@code pos} in {@code buf}, or -1 if the file ends first
         */
        int fill(long pos, int n) throws IOException {
            if (pos >= start && pos + n <= start + limit) {
                return (int) (pos - start);
            }
            int keep = pos >= start && pos < start + limit ? (int) (start + limit - pos) : 0;
            byte[] target = buf;
            if (n > buf.length) {
                target = new byte[n]; // bounded: callers check n against the rest of the file first
            } else if (buf.length > WINDOW_SIZE && n <= WINDOW_SIZE) {
                target = new byte[WINDOW_SIZE]; // give back the memory of a past large entry
            }
            if (keep > 0) {
                System.arraycopy(buf, (int) (pos - start), target, 0, keep);
            }
            buf = target;
            start = pos;
            limit = keep;
            while (limit < n) { // each read fills as much of the window as the file has: read-ahead
                int r = channel.read(ByteBuffer.wrap(buf, limit, buf.length - limit), start + limit);
                if (r < 0) {
                    return -1;
                }
                limit += r;
            }
            return 0;
        }
    }

    /** Logs progress every two seconds once a scan has run for two seconds. */
    private static final class Progress {
        private final Path file;
        private final long size;
        private final long startNanos = System.nanoTime();
        private long nextNanos = startNanos + PROGRESS_INTERVAL_NANOS;
        private boolean logged;

        Progress(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        void tick(long entries, long pos) {
            long now = System.nanoTime();
            if (now - nextNanos >= 0) {
                nextNanos = now + PROGRESS_INTERVAL_NANOS;
                logged = true;
                log.info("Replaying log {}: {} entries, {} of {} MiB ({}%)", file, entries, mib(pos), mib(size),
                        size == 0 ? 100 : pos * 100 / size);
            }
        }

        private static String mib(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
        }

        void done(long entries, long pos) {
            if (logged) {
                log.info("Replayed log {}: {} entries, {} bytes in {} ms", file, entries, pos,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            }
        }
    }
}
