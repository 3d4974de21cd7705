package dev.etch.engine;

import dev.etch.wal.Op;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The log of an in-memory store: every commit is acknowledged on append; nothing is kept. */
final class MemoryLog implements CommitLog {

    @Override
    public Commit append(List<Op> ops, Object state) {
        return Commit.DONE;
    }

    @Override
    public boolean acknowledgesOnAppend() {
        return true;
    }

    @Override
    public void await(Commit commit, boolean force) {
        // Nothing to wait for.
    }

    @Override
    public void flush(Duration timeout) {
        // Nothing to flush.
    }

    @Override
    public long bytes() {
        return 0;
    }

    @Override
    public long entriesSinceSnapshot() {
        return 0;
    }

    @Override
    public long fsyncs() {
        return 0;
    }

    @Override
    public Optional<Throwable> lastError() {
        return Optional.empty();
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
