package dev.etch.faults;

/** The file operations a {@link Fault} can make fail, each at the call the engine makes. */
public enum FileOperation {
    /** Opening a file channel with {@code CREATE} or {@code CREATE_NEW} (a new log segment, {@code snapshot.tmp}). */
    CREATE,
    /** Any write through a file channel: {@code write}, positional {@code write}, {@code transferFrom}. */
    WRITE,
    /** {@code FileChannel.force}: fsync of a file, or of a directory opened for reading. */
    FORCE,
    /** {@code FileChannel.truncate}. */
    TRUNCATE,
    /** {@code Files.move}; matched against the source and the target name. */
    MOVE,
    /** {@code Files.delete} and {@code Files.deleteIfExists}. */
    DELETE,
    /** {@code Files.createDirectory}, and so {@code Files.createDirectories}. */
    CREATE_DIRECTORY,
    /** An access check for writing: {@code Files.isWritable}, {@code checkAccess(path, WRITE)}. */
    CHECK_WRITABLE
}
