package dev.etch;

import java.time.Duration;
import java.util.Objects;

/**
 * When a committed transaction is forced to stable storage, and so when a write is
 * acknowledged.
 *
 * <ul>
 *   <li>{@link #immediate()} (the default): a write returns only after its log entry is
 *       fsynced, and readers see it only then. Concurrent writers share fsyncs (group
 *       commit), so throughput grows with the number of writing threads.</li>
 *   <li>{@link #grouped(Duration)}: a write returns and is visible at once; a background
 *       thread fsyncs within the interval. A power cut can lose up to one interval of
 *       acknowledged writes; a process crash loses nothing.</li>
 *   <li>{@link #none()}: the log is written to the operating system and never fsynced by
 *       Etch. Survives a process crash, not a power cut.</li>
 * </ul>
 *
 * <p>Under every policy, {@code EtchStore.writeDurable} forces one write to disk and
 * {@code EtchStore.flush()} waits until everything acknowledged so far is durable. Stores
 * without a directory ignore the policy.
 */
public sealed interface FlushPolicy {

    /**
     * Acknowledge a write only after its log entry is on disk; concurrent writers share
     * fsyncs.
     *
     * @return the immediate policy
     */
    static FlushPolicy immediate() {
        return Immediate.INSTANCE;
    }

    /**
     * Acknowledge a write at once and fsync in the background within {@code interval}.
     *
     * @param interval the longest time an acknowledged write may stay unsynced; positive
     * @return the grouped policy
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    static FlushPolicy grouped(Duration interval) {
        return new Grouped(interval);
    }

    /**
     * Hand writes to the operating system and never fsync them (except through
     * {@code writeDurable} and {@code flush}).
     *
     * @return the unsynced policy
     */
    static FlushPolicy none() {
        return None.INSTANCE;
    }

    /** Every write is fsynced before it is acknowledged; see {@link FlushPolicy#immediate()}. */
    enum Immediate implements FlushPolicy {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "immediate";
        }
    }

    /**
     * Writes are fsynced in the background within {@code interval}; see
     * {@link FlushPolicy#grouped(Duration)}.
     *
     * @param interval the longest time an acknowledged write stays unsynced
     */
    record Grouped(Duration interval) implements FlushPolicy {

        /**
         * Validates the interval.
         *
         * @param interval the longest time an acknowledged write stays unsynced; positive
         * @throws IllegalArgumentException if the interval is zero or negative
         */
        public Grouped {
            Objects.requireNonNull(interval, "interval");
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException(
                        "FlushPolicy.grouped interval must be positive, was " + interval
                                + "; use FlushPolicy.none() to never fsync");
            }
        }

        @Override
        public String toString() {
            return "grouped(" + interval + ")";
        }
    }

    /** Writes are never fsynced by Etch; see {@link FlushPolicy#none()}. */
    enum None implements FlushPolicy {
        /** The only instance. */
        INSTANCE;

        @Override
        public String toString() {
            return "none";
        }
    }
}
