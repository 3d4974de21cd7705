package dev.etch.wal;

import dev.etch.EtchStorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The layout of a data directory, as etchdb 0.3.2 lays it out, and the one place that makes a
 * directory's entries durable.
 *
 * <pre>
 * wal.bin             the write-ahead log (WalFormat)
 * snapshot.postcard   the newest snapshot
 * snapshot.tmp        a snapshot being written; never read, removed on open
 * .lock               holds the owner's pid while a store has the directory open (LockFile)
 * </pre>
 *
 * @param root the directory
 */
public record DataDirectory(Path root) {

    /** File name of the write-ahead log. */
    public static final String WAL = "wal.bin";
    /** File name of the newest snapshot. */
    public static final String SNAPSHOT = "snapshot.postcard";
    /** File name of a snapshot being written. */
    public static final String SNAPSHOT_TMP = "snapshot.tmp";

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
     * The snapshot file.
     *
     * @return {@code root/snapshot.postcard}
     */
    public Path snapshot() {
        return root.resolve(SNAPSHOT);
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
