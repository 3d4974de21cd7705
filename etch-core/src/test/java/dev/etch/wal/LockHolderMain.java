package dev.etch.wal;

import java.nio.file.Path;

/**
 * A child process for {@link LockFileTests}: takes the lock of the directory given as the first
 * argument, prints {@code LOCKED <pid>} and waits (until killed or its stdin closes).
 */
public final class LockHolderMain {

    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        LockFile lock = LockFile.acquire(Path.of(args[0]));
        System.out.println("LOCKED " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent
        }
        lock.close();
    }
}
