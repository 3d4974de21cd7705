package dev.etch.wal;

import dev.etch.EtchStorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of a data directory, and the one place that makes a directory's entries
 * durable. A directory written by etchdb 0.3.2 ({@code wal.bin}, {@code snapshot.postcard})
 * is a valid one.
 *
 * <pre>
 * wal.bin                   log segment 0 (WalFormat; etchdb's only log)
 * wal-00000000000000000001.bin, ...
 *                           later log segments, one per snapshot; a segment's generation is
 *                           in its name and in its header's sequence field
 * snapshot.postcard         the newest snapshot (SnapshotFormat, or etchdb's version 1)
 * snapshot.prev             the snapshot before it, kept as a fallback
 * snapshot.tmp              a snapshot being written; never read, removed on open
 * .lock                     holds the owner's pid while a store has the directory open (LockFile)
 * </pre>
 *
 * <p>The state is: the newest readable snapshot, then every log segment from the generation
 * it names (inclusive) to the last, in order. Segments older than what the previous snapshot
 * covers are deleted once a newer snapshot is durable.
 *
 * @param root the directory
 */
public record DataDirectory(Path root) {

    /** File name of the write-ahead log. */
    public static final String WAL = "wal.bin";
    /** File name of the newest snapshot. */
    public static final String SNAPSHOT = "snapshot.postcard";
    /** File name of the snapshot before the newest. */
    public static final String SNAPSHOT_PREVIOUS = "snapshot.prev";
    /** File name of a snapshot being written. */
    public static final String SNAPSHOT_TMP = "snapshot.tmp";
    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.bin");

    /**
     * Creates the directory (and its parents) if missing.
     *
     * @param root the directory
     * @return the layout
     * @throws EtchStorageException if it cannot be created or is not a writable directory
     */
    public static DataDirectory create(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new EtchStorageException("Cannot create data directory " + absolute + ": " + e
                    + ". Choose a directory the process can create and write.", e);
        }
        if (!Files.isWritable(absolute)) {
            throw new EtchStorageException("Data directory " + absolute + " is not writable by this process."
                    + " Fix its permissions or choose another directory.", null);
        }
        return new DataDirectory(absolute);
    }

    /**
     * The log file.
     *
     * @return {@code root/wal.bin}
     */
    public Path wal() {
        return root.resolve(WAL);
    }

    /**
     * The log segment of a generation.
     *
     * @param generation 0 for {@code wal.bin}, or a later generation
     * @return its path
     */
    public Path segment(long generation) {
        return generation == 0 ? wal() : root.resolve(String.format("wal-%020d.bin", generation));
    }

    /**
     * Where a lenient open keeps the bytes it cuts off a log segment, from {@code offset} on:
     * beside the segment, under a name no segment or snapshot has, so that nothing reads it
     * again and nothing deletes it.
     *
     * @param segment the segment that was cut
     * @param offset the offset of the cut in that segment; 0 for a whole segment set aside
     * @return {@code <segment file name>.cut-<offset>} in this directory, or, if that file
     *     exists (an earlier cut at the same offset), the first free {@code .cut-<offset>.<n>}
     */
    public Path cutCopy(Path segment, long offset) {
        return firstFree(segment.getFileName() + ".cut-" + offset);
    }

    /**
     * Where a snapshot that could not be read is set aside when a newer one replaces it: a
     * name that nothing reads or deletes.
     *
     * @return {@code snapshot.postcard.unusable}, or the first free {@code .unusable.<n>}
     */
    public Path unusableSnapshot() {
        return firstFree(SNAPSHOT + ".unusable");
    }

    /** {@code name} in this directory, or the first free {@code name.<n>}: an earlier file is never replaced. */
    private Path firstFree(String name) {
        Path file = root.resolve(name);
        for (int n = 1; Files.exists(file); n++) {
            file = root.resolve(name + "." + n);
        }
        return file;
    }

    /**
     * The log segments present, by generation.
     *
     * @return generation to path, in ascending order
     * @throws IOException if the directory cannot be listed
     */
    public SortedMap<Long, Path> segments() throws IOException {
        SortedMap<Long, Path> segments = new TreeMap<>();
        try (Stream<Path> files = Files.list(root)) {
            files.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.equals(WAL)) {
                    segments.put(0L, file);
                } else {
                    Matcher m = SEGMENT.matcher(name);
                    if (m.matches()) {
                        segments.put(Long.parseLong(m.group(1)), file);
                    }
                }
            });
        }
        return segments;
    }

    /**
     * The newest snapshot file.
     *
     * @return {@code root/snapshot.postcard}
     */
    public Path snapshot() {
        return root.resolve(SNAPSHOT);
    }

    /**
     * The fallback snapshot.
     *
     * @return {@code root/snapshot.prev}
     */
    public Path previousSnapshot() {
        return root.resolve(SNAPSHOT_PREVIOUS);
    }

    /**
     * The snapshot being written.
     *
     * @return {@code root/snapshot.tmp}
     */
    public Path snapshotTmp() {
        return root.resolve(SNAPSHOT_TMP);
    }

    /**
     * fsyncs the directory itself, so that files created, renamed or removed in it survive a
     * power cut.
     *
     * @throws IOException if the sync fails
     */
    public void sync() throws IOException {
        try (FileChannel channel = FileChannel.open(root, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
