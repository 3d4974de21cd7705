package dev.etch;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another store, in this process or another one, has the data directory open.
 *
 * <p>Only one store may own a directory at a time; the lock is released when that store is
 * closed or its process ends. The message names the directory and the owner's process id.
 */
public class DatabaseLockedException extends EtchException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final long ownerPid;

    /**
     * Creates the exception.
     *
     * @param directory the locked data directory
     * @param ownerPid the process id recorded by the owner, or {@code -1} if unknown
     */
    public DatabaseLockedException(Path directory, long ownerPid) {
        super("Data directory " + directory + " is locked by "
                + (ownerPid == ProcessHandle.current().pid()
                        ? "another store in this process (pid " + ownerPid + ")"
                        : ownerPid > 0 ? "process " + ownerPid : "another process")
                + ". Close that store or stop that process, or open a different directory.");
        this.directory = directory;
        this.ownerPid = ownerPid;
    }

    /**
     * The locked directory.
     *
     * @return the data directory path
     */
    public Path directory() {
        return directory;
    }

    /**
     * The process id of the owner, if it recorded one.
     *
     * @return the owner's pid, or empty if unknown
     */
    public OptionalLong ownerPid() {
        return ownerPid > 0 ? OptionalLong.of(ownerPid) : OptionalLong.empty();
    }
}
