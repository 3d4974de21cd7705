package dev.etch.engine;

import dev.etch.wal.Op;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where committed transactions go before they are acknowledged: the write-ahead log of a
 * directory, or nothing for an in-memory store. The engine's only view of persistence.
 *
 * <p>Ordering contract: {@link #append} is called by one thread at a time, under the store's
 * writer lock, in commit order. Everything else may be called from any thread.
 */
public interface CommitLog extends AutoCloseable {

    /**
     * Writes one transaction's entry.
     *
     * @param ops the transaction's operations, not empty
     * @param state the state after this transaction, handed to the durability listener once
     *     the entry is durable (under the immediate policy)
     * @return a handle to wait on
     * @throws dev.etch.EtchStorageException if the entry could not be written; the log is as
     *     it was before the call, or refuses further appends (the message says which)
     * @throws dev.etch.EtchException if the entry would be larger than one log entry can be;
     *     nothing was written
     */
    Commit append(List<Op> ops, Object state);

    /**
     * Whether a commit is acknowledged, and visible to readers, as soon as it is appended
     * (grouped and unsynced policies, memory). When {@code false}, the engine makes a commit
     * visible only through the durability listener, after its fsync.
     *
     * @return {@code true} if appending acknowledges
     */
    boolean acknowledgesOnAppend();

    /**
     * Waits until a commit is acknowledged under the policy; with {@code force}, until it is
     * fsynced whatever the policy.
     *
     * @param commit a handle from {@link #append}
     * @param force whether to fsync even if the policy would not
     * @throws dev.etch.EtchStorageException if the entry could not be made durable; the
     *     commit is then not visible and the state is rolled back to the last durable one
     */
    void await(Commit commit, boolean force);

    /**
     * After {@link #await} or {@link #append} failed, discards every commit the log could not
     * make durable, so that the engine can roll its head back to the published state. Called
     * under the writer lock.
     *
     * @return {@code true} if commits were discarded
     */
    default boolean discardUndurable() {
        return false;
    }

    /**
     * Waits until everything appended so far is fsynced.
     *
     * @param timeout how long to wait
     * @throws dev.etch.EtchStorageException if the sync failed
     * @throws dev.etch.EtchTimeoutException if the sync did not finish in time; nothing is lost
     */
    void flush(Duration timeout);

    /**
     * Size of the log in bytes.
     *
     * @return bytes, {@code 0} in memory
     */
    long bytes();

    /**
     * Entries appended since the last snapshot.
     *
     * @return the count
     */
    long entriesSinceSnapshot();

    /**
     * fsyncs since open.
     *
     * @return the count
     */
    long fsyncs();

    /**
     * The failure the log has not overcome yet.
     *
     * @return the error, or empty when healthy
     */
    Optional<Throwable> lastError();

    /** Flushes and releases the files. Idempotent. */
    @Override
    void close();

    /**
     * A transaction handed to the log: done once acknowledged (or failed).
     */
    class Commit {

        /** A commit that needs no waiting: in memory, or already acknowledged. */
        public static final Commit DONE = new Commit(0, null);

        private final long sequence;
        private final Object state;
        private volatile Throwable failure;

        /**
         * Creates a handle.
         *
         * @param sequence the commit's position in log order, increasing
         * @param state the state after this commit
         */
        public Commit(long sequence, Object state) {
            this.sequence = sequence;
            this.state = state;
        }

        /**
         * The commit's position in log order.
         *
         * @return an increasing sequence number
         */
        public long sequence() {
            return sequence;
        }

        /**
         * The state after this commit.
         *
         * @return the engine's state version
         */
        public Object state() {
            return state;
        }

        /** Marks the commit as abandoned by a failed fsync; it will never become durable. */
        void fail(Throwable cause) {
            failure = cause;
        }

        /** The failure that abandoned this commit, or {@code null}. */
        Throwable failure() {
            return failure;
        }
    }
}
