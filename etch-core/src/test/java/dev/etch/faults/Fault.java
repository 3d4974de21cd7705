package dev.etch.faults;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One armed fault of a {@link FaultyFileSystem}: the calls of one {@link FileOperation} on
 * files whose name matches a glob throw an {@link IOException}, for a number of times or until
 * {@link #disarm()}. Created through {@link FaultyFileSystem#on}.
 */
public final class Fault {

    /** The message Linux gives for {@code ENOSPC}. */
    public static final String NO_SPACE = "No space left on device";
    /** The message Linux gives for {@code EIO}, what a failed fsync reports. */
    public static final String IO_ERROR = "Input/output error";

    private final FileOperation operation;
    private final String glob;
    private final PathMatcher matcher;
    private final Function<Path, IOException> error;
    private final int skip;
    private final boolean partialWrite;
    private final boolean loseUnsynced;
    private final Runnable whileFailing;
    /** Whether the call goes ahead after {@link #whileFailing} ran, instead of failing. */
    private final boolean passThrough;
    /** Failures left; {@link Integer#MAX_VALUE} until disarmed. */
    private final AtomicInteger remaining;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger hits = new AtomicInteger();

    private Fault(Builder b, int times) {
        this.operation = b.operation;
        this.glob = b.glob;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + b.glob);
        this.error = b.error;
        this.skip = b.skip;
        this.partialWrite = b.partialWrite;
        this.loseUnsynced = b.loseUnsynced;
        this.whileFailing = b.whileFailing;
        this.passThrough = b.passThrough;
        this.remaining = new AtomicInteger(times);
    }

    /** Stops this fault; the operations it matched succeed again (space is back, the disk is healthy). */
    public void disarm() {
        remaining.set(0);
    }

    /** How many calls this fault has failed so far. */
    public int hits() {
        return hits.get();
    }

    /** Whether this fault will still fail a matching call. */
    public boolean armed() {
        return remaining.get() > 0;
    }

    boolean matches(FileOperation op, Path file) {
        Path name = file.getFileName();
        return op == operation && name != null && matcher.matches(name) && remaining.get() > 0;
    }

    /** Decides whether this matching call fails; counts it either way. */
    boolean trip() {
        if (seen.incrementAndGet() <= skip) {
            return false;
        }
        while (true) {
            int left = remaining.get();
            if (left <= 0) {
                return false;
            }
            if (left == Integer.MAX_VALUE || remaining.compareAndSet(left, left - 1)) {
                hits.incrementAndGet();
                return true;
            }
        }
    }

    /** Runs the hook, then returns the exception to throw, or {@code null} if the call goes ahead. */
    IOException error(Path file) {
        if (whileFailing != null) {
            whileFailing.run();
        }
        return passThrough ? null : error.apply(file);
    }

    boolean partialWrite() {
        return partialWrite;
    }

    boolean loseUnsynced() {
        return loseUnsynced;
    }

    @Override
    public String toString() {
        return "Fault[" + operation + " " + glob + ", hits " + hits + (armed() ? ", armed" : "") + "]";
    }

    /** Describes a fault before arming it with {@link #once()}, {@link #times(int)} or {@link #untilDisarmed()}. */
    public static final class Builder {
        private final FaultyFileSystem fs;
        private final FileOperation operation;
        private final String glob;
        private Function<Path, IOException> error = file -> new IOException(IO_ERROR);
        private int skip;
        private boolean partialWrite;
        private boolean loseUnsynced;
        private Runnable whileFailing;
        private boolean passThrough;

        Builder(FaultyFileSystem fs, FileOperation operation, String glob) {
            this.fs = fs;
            this.operation = operation;
            this.glob = glob;
        }

        /** Fails with {@code IOException("No space left on device")}. */
        public Builder noSpace() {
            return failingWith(file -> new IOException(NO_SPACE));
        }

        /** Fails with the given exception (default: {@code IOException("Input/output error")}). */
        public Builder failingWith(Function<Path, IOException> error) {
            this.error = error;
            return this;
        }

        /** Lets the first {@code calls} matching calls succeed before failing. */
        public Builder after(int calls) {
            this.skip = calls;
            return this;
        }

        /**
         * For {@link FileOperation#WRITE}: writes the first half of the buffer to the file before
         * throwing, as a disk that fills up in the middle of a write leaves it.
         */
        public Builder partially() {
            this.partialWrite = true;
            return this;
        }

        /**
         * For {@link FileOperation#FORCE}: a failed fsync also loses what was written through that
         * channel since its last successful fsync (overwritten with zeros), as the kernel may drop
         * the dirty pages after a writeback error. Only a writer that writes them again keeps them.
         */
        public Builder losingUnsyncedWrites() {
            this.loseUnsynced = true;
            return this;
        }

        /** Runs {@code check} on the failing thread just before each failure is thrown. */
        public Builder whileFailing(Runnable check) {
            this.whileFailing = check;
            return this;
        }

        /**
         * Does not fail: runs {@code hook} on the calling thread just before the call, then lets
         * it go ahead. For holding a thread at an exact point of the engine's I/O.
         */
        public Builder intercepting(Runnable hook) {
            this.whileFailing = hook;
            this.passThrough = true;
            return this;
        }

        /** Fails the next matching call. */
        public Fault once() {
            return times(1);
        }

        /** Fails the next {@code n} matching calls. */
        public Fault times(int n) {
            return fs.arm(new Fault(this, n));
        }

        /** Fails every matching call until {@link Fault#disarm()}. */
        public Fault untilDisarmed() {
            return times(Integer.MAX_VALUE);
        }
    }
}
