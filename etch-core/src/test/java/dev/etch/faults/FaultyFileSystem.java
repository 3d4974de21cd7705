package dev.etch.faults;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A file system for tests that is the default one with faults on demand: its paths name real
 * files on disk, and every file channel, move, delete and directory creation made through them
 * goes through {@link FaultyFileSystemProvider}, which fails the calls a test has armed.
 *
 * <pre>{@code
 * Path dir = FaultyFileSystem.wrap(tempDir);
 * Fault full = FaultyFileSystem.of(dir).on(FileOperation.WRITE, "wal*.bin").noSpace().untilDisarmed();
 * ... store.write(...) fails with EtchStorageException caused by "No space left on device" ...
 * full.disarm();
 * }</pre>
 *
 * <p>Production code needs no hook: it receives the wrapped {@code Path} and calls the JDK as
 * usual ({@code FileChannel.open}, {@code Files.move}, ...), which dispatches to the provider of
 * the path.
 */
public final class FaultyFileSystem extends FileSystem {

    private final FileSystem real = FileSystems.getDefault();
    private final FaultyFileSystemProvider provider;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    private FaultyFileSystem() {
        this.provider = new FaultyFileSystemProvider(this, real.provider());
    }

    /**
     * A path to the same real directory (or file) on a new faulty file system with no fault armed.
     *
     * @param real a path of the default file system
     * @return the same location, seen through a fresh {@code FaultyFileSystem}
     */
    public static Path wrap(Path real) {
        if (real.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException("not a path of the default file system: " + real);
        }
        return new FaultyFileSystem().wrapPath(real);
    }

    /**
     * The faulty file system of a path made by {@link #wrap}.
     *
     * @param path a wrapped path
     * @return its file system, to arm faults on
     */
    public static FaultyFileSystem of(Path path) {
        return (FaultyFileSystem) path.getFileSystem();
    }

    /**
     * Starts describing a fault: calls of {@code operation} on files whose name matches
     * {@code glob} ({@code "wal*.bin"}, {@code "snapshot.tmp"}, {@code "*"}).
     *
     * @param operation the operation to fail
     * @param glob a glob over the file name (the last element of the path)
     * @return a builder; the fault is armed by its {@code once()}, {@code times(n)} or {@code untilDisarmed()}
     */
    public Fault.Builder on(FileOperation operation, String glob) {
        return new Fault.Builder(this, operation, glob);
    }

    /** Disarms every fault. */
    public void disarmAll() {
        faults.forEach(Fault::disarm);
        faults.clear();
    }

    Fault arm(Fault fault) {
        faults.add(fault);
        return fault;
    }

    /**
     * The fault that fails this call, if any.
     *
     * @param operation the operation being performed
     * @param paths the file (or files, for a move) it is performed on, wrapped or real
     * @return the tripped fault, or {@code null} if the call goes ahead
     */
    Fault tripped(FileOperation operation, Path... paths) {
        for (Fault fault : faults) {
            for (Path path : paths) {
                if (fault.matches(operation, path) && fault.trip()) {
                    return fault;
                }
            }
        }
        return null;
    }

    /** Throws the armed error if a fault fails this call. */
    void check(FileOperation operation, Path... paths) throws IOException {
        Fault fault = tripped(operation, paths);
        IOException error = fault == null ? null : fault.error(paths[0]);
        if (error != null) {
            throw error;
        }
    }

    FaultyPath wrapPath(Path real) {
        return new FaultyPath(this, real);
    }

    FileSystem real() {
        return real;
    }

    // ------------------------------------------------------------ FileSystem, delegated

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("the default file system cannot be closed");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return real.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return StreamSupport.stream(real.getRootDirectories().spliterator(), false)
                .map(p -> (Path) wrapPath(p))
                .collect(Collectors.toList());
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrapPath(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = real.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(FaultyPath.unwrap(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return real.newWatchService();
    }

    @Override
    public String toString() {
        return "FaultyFileSystem" + faults;
    }
}
