package dev.etch.engine;

import dev.etch.EtchListener;
import dev.etch.FlushPolicy;
import dev.etch.ValueCodec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The settings a store is opened with, fixed once the builder hands them over.
 *
 * @param stateType the state record type
 * @param directory the data directory, empty for an in-memory store
 * @param flushPolicy when the log is fsynced
 * @param snapshotEvery log entries between automatic snapshots, 0 for never, {@link #ADAPTIVE}
 *     for the default rule (see {@link Snapshotter})
 * @param snapshotLogSize log bytes that trigger an automatic snapshot, 0 for never,
 *     {@link #ADAPTIVE} for the default rule
 * @param valueCodec how values are encoded
 * @param strictRecovery whether a damaged log fails the open
 * @param listener receives timings; a {@link Listeners} (or {@link EtchListener#NONE}), which never throws
 * @param <T> the state type
 */
public record StoreOptions<T>(
        Class<T> stateType,
        Optional<Path> directory,
        FlushPolicy flushPolicy,
        long snapshotEvery,
        long snapshotLogSize,
        ValueCodec valueCodec,
        boolean strictRecovery,
        EtchListener listener) {

    /**
     * A snapshot threshold that follows the size of the state: the default. The entry count
     * is at least {@link #DEFAULT_SNAPSHOT_EVERY} and at least the records of the newest
     * snapshot; the log size at least {@link #DEFAULT_SNAPSHOT_LOG_SIZE} and at least the
     * newest snapshot's size.
     */
    public static final long ADAPTIVE = -1;
    /** The fewest log entries between automatic snapshots under the default rule. */
    public static final long DEFAULT_SNAPSHOT_EVERY = 50_000;
    /** The smallest log size that triggers an automatic snapshot under the default rule. */
    public static final long DEFAULT_SNAPSHOT_LOG_SIZE = 64L << 20;

    /**
     * The builder's mutable settings, with the defaults.
     *
     * @param <T> the state type
     */
    public static final class Mutable<T> {
        private final Class<T> stateType;
        /** See {@link StoreOptions#directory()}; {@code null} for in-memory. */
        public Path directory;
        /** See {@link StoreOptions#flushPolicy()}. */
        public FlushPolicy flushPolicy = FlushPolicy.immediate();
        /** See {@link StoreOptions#snapshotEvery()}. */
        public long snapshotEvery = ADAPTIVE;
        /** See {@link StoreOptions#snapshotLogSize()}. */
        public long snapshotLogSize = ADAPTIVE;
        /** The listeners added, combined into {@link StoreOptions#listener()}. */
        public final java.util.List<EtchListener> listeners = new java.util.ArrayList<>();
        /** See {@link StoreOptions#valueCodec()}; {@code null} until set, then the default. */
        public ValueCodec valueCodec;
        /** See {@link StoreOptions#strictRecovery()}. */
        public boolean strictRecovery;

        /**
         * Starts with the defaults.
         *
         * @param stateType the state record type
         */
        public Mutable(Class<T> stateType) {
            this.stateType = stateType;
        }

        /**
         * Fixes the settings.
         *
         * @return the immutable options
         */
        public StoreOptions<T> freeze() {
            return new StoreOptions<>(stateType, Optional.ofNullable(directory), flushPolicy, snapshotEvery,
                    snapshotLogSize, valueCodec != null ? valueCodec : ValueCodec.jackson(), strictRecovery,
                    Listeners.of(listeners));
        }
    }
}
