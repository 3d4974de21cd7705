package dev.etch.wal;

import dev.etch.DatabaseLockedException;
import dev.etch.EtchStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a data directory: one open store per directory, across processes and
 * within this one.
 *
 * <p>The owner holds an OS lock ({@link FileChannel#tryLock()}) on {@code directory/.lock} and
 * has written its process id into it, so that a second opener can say who holds it. The lock
 * ends with {@link #close()} or with the owner's process, however it dies: the operating system
 * drops the locks of a dead process, so a stale {@code .lock} file never blocks anyone. The file
 * itself is left in place (deleting it would let two processes lock two different files of the
 * same name).
 *
 * <p>Within one JVM, ownership is also kept in a process-wide set of canonical directory paths,
 * checked before the file is even opened: on Linux the OS lock belongs to the process, and
 * closing any channel on the file in this process would silently drop it.
 *
 * <p>Thread-safe.
 */
public final class LockFile implements AutoCloseable {

    /** The name of the lock file inside the data directory. */
    public static final String FILE_NAME = ".lock";

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final int PID_READ_ATTEMPTS = 20;

    private final Path directory;
    private final Path canonical;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private LockFile(Path directory, Path canonical, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.canonical = canonical;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory for this process, creating the directory and its {@code .lock} file
     * if missing, and records this process's id in the file.
     *
     * @param directory the data directory
     * @return the held lock; close it to release the directory
     * @throws DatabaseLockedException if another process holds the lock (with the pid it
     *     recorded, or unknown if it recorded none yet), or if a lock on the same directory is
     *     already held in this process (with this process's pid)
     * @throws EtchStorageException if the directory or the file cannot be created or written
     */
    public static LockFile acquire(Path directory) {
        Path canonical;
        try {
            Files.createDirectories(directory);
            canonical = directory.toRealPath();
        } catch (IOException e) {
            throw new EtchStorageException("Cannot create data directory " + directory + ": " + e.getMessage(), e);
        }
        long myPid = ProcessHandle.current().pid();
        if (!HELD.add(canonical)) {
            throw new DatabaseLockedException(directory, myPid);
        }
        FileChannel channel = null;
        boolean acquired = false;
        try {
            channel = FileChannel.open(canonical.resolve(FILE_NAME),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // held through another path to the same file in this JVM
                throw new DatabaseLockedException(directory, myPid);
            }
            if (lock == null) {
                throw new DatabaseLockedException(directory, readOwnerPid(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((myPid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            // No fsync: the pid is for the message of a concurrent opener, which reads it from the
            // page cache; after a crash the lock is gone anyway.
            LockFile held = new LockFile(directory, canonical, channel, lock);
            acquired = true;
            return held;
        } catch (IOException e) {
            throw new EtchStorageException("Cannot lock data directory " + directory + " (" + FILE_NAME + "): "
                    + e.getMessage(), e);
        } finally {
            // Also when the file could not even be opened: else this process would think the
            // directory held by itself until it exits.
            if (!acquired) {
                HELD.remove(canonical);
                if (channel != null) {
                    closeQuietly(channel);
                }
            }
        }
    }

    /**
     * The pid the owner wrote, waiting briefly for an owner that has locked but not yet written.
     */
    private static long readOwnerPid(FileChannel channel) throws IOException {
        for (int attempt = 0; attempt < PID_READ_ATTEMPTS; attempt++) {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = channel.read(buf, 0);
            if (n > 0) {
                String text = new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
                if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 19) {
                    return Long.parseLong(text);
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    /**
     * The directory this lock owns, as given to {@link #acquire}.
     *
     * @return the data directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Whether this lock is still held.
     *
     * @return {@code false} once closed
     */
    public synchronized boolean isHeld() {
        return !closed;
    }

    /**
     * Releases the directory. Calling it again does nothing.
     *
     * @throws EtchStorageException if the OS reports a failure releasing the lock; the directory
     *     is released in this process anyway and the OS lock ends with the process at the latest
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EtchStorageException("Cannot release the lock of " + directory + ": " + e.getMessage(), e);
        } finally {
            HELD.remove(canonical);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
