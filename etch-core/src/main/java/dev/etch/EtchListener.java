package dev.etch;

import java.time.Duration;

/**
 * Receives timings and events from a store, for metrics and tracing; register one with
 * {@code EtchStore.builder(type).listener(listener)}.
 *
 * <p>Methods are called on the thread that did the work, synchronously, sometimes while the
 * store's writer lock or the log's sync lock is held: they must be fast, must not block and
 * must not call back into the store. An exception thrown by a listener is logged and
 * ignored; it never fails a write. Every method has an empty default.
 */
public interface EtchListener {

    /** A listener that ignores everything. */
    EtchListener NONE = new EtchListener() {};

    /**
     * A transaction was committed and acknowledged under the flush policy.
     *
     * @param latency from the start of the write (lock wait included) to its acknowledgement
     * @param operations puts and deletes it logged
     */
    default void committed(Duration latency, int operations) {}

    /**
     * The log was fsynced.
     *
     * @param latency how long the fsync took
     * @param commits how many commits it made durable (group commit: more than one when
     *     writers queued up behind the previous fsync)
     */
    default void synced(Duration latency, long commits) {}

    /**
     * A snapshot was written and the log rotated.
     *
     * @param duration how long writing the snapshot took
     * @param bytes the snapshot file's size
     * @param records the records it holds
     */
    default void snapshotWritten(Duration duration, long bytes, long records) {}

    /**
     * Writing or syncing the log failed.
     *
     * @param error the failure, as thrown to the writers it affected
     */
    default void logFailed(Throwable error) {}
}
