package dev.etch.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Etch stores an application opens, bound from {@code etch.*}.
 *
 * <p>Every entry under {@code etch.stores} becomes one open {@code EtchStore<State>} bean
 * named after the entry:
 *
 * <pre>{@code
 * etch:
 *   stores:
 *     library:
 *       state: com.example.library.Library
 *       directory: ./data/library
 *       flush:
 *         policy: grouped
 *         interval: 2ms
 * }</pre>
 *
 * <p>Binding fails startup (with a failure analysis naming the key) when a value cannot be
 * converted, for example an unknown class or flush policy.
 */
@ConfigurationProperties("etch")
public class EtchProperties {

    /**
     * The stores to open, by store name. The name is the bean name, the qualifier and the
     * default directory name.
     */
    private Map<String, Store> stores = new LinkedHashMap<>();

    /**
     * The stores to open, by store name.
     *
     * @return the mutable map of store settings, never {@code null}
     */
    public Map<String, Store> getStores() {
        return stores;
    }

    /**
     * Replaces the stores to open.
     *
     * @param stores store settings by store name
     */
    public void setStores(Map<String, Store> stores) {
        this.stores = stores;
    }

    /** How one store is opened: {@code etch.stores.<name>.*}. */
    public static class Store {

        /**
         * The state type: a record whose components are maps annotated with
         * {@code @EtchCollection}. Required.
         */
        private Class<?> state;

        /**
         * The data directory, created if missing. Defaults to "./etch-data/<store name>",
         * relative to the working directory. Only one store, in any process, may use a
         * directory at a time.
         */
        private Path directory;

        /** When commits are forced to disk, and so when a write is acknowledged. */
        private final Flush flush = new Flush();

        /** When the store writes a snapshot and starts a new log. */
        private final Snapshot snapshot = new Snapshot();

        /**
         * Whether to refuse to open a damaged log (startup fails) instead of cutting it at
         * the first damaged entry and reporting what was discarded.
         */
        private boolean strictRecovery = false;

        /**
         * How values are encoded in the log and snapshots. Part of the data format: changing
         * it makes existing data unreadable.
         */
        private Codec codec = Codec.JACKSON;

        /**
         * The state record type.
         *
         * @return the state class, or {@code null} if not configured
         */
        public Class<?> getState() {
            return state;
        }

        /**
         * Sets the state record type.
         *
         * @param state the state class
         */
        public void setState(Class<?> state) {
            this.state = state;
        }

        /**
         * The data directory.
         *
         * @return the configured directory, or {@code null} for the default
         */
        public Path getDirectory() {
            return directory;
        }

        /**
         * Sets the data directory.
         *
         * @param directory the directory, or {@code null} for the default
         */
        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        /**
         * The flush settings.
         *
         * @return the mutable flush settings
         */
        public Flush getFlush() {
            return flush;
        }

        /**
         * The snapshot settings.
         *
         * @return the mutable snapshot settings
         */
        public Snapshot getSnapshot() {
            return snapshot;
        }

        /**
         * Whether a damaged log fails the open instead of being cut.
         *
         * @return {@code true} for strict recovery
         */
        public boolean isStrictRecovery() {
            return strictRecovery;
        }

        /**
         * Sets whether a damaged log fails the open.
         *
         * @param strictRecovery {@code true} for strict recovery
         */
        public void setStrictRecovery(boolean strictRecovery) {
            this.strictRecovery = strictRecovery;
        }

        /**
         * The value codec.
         *
         * @return the codec, never {@code null}
         */
        public Codec getCodec() {
            return codec;
        }

        /**
         * Sets the value codec.
         *
         * @param codec the codec
         */
        public void setCodec(Codec codec) {
            this.codec = codec;
        }
    }

    /** {@code etch.stores.<name>.flush.*}. */
    public static class Flush {

        /**
         * When commits are fsynced: "immediate" acknowledges a write only once it is on disk
         * (concurrent writers share fsyncs), "grouped" acknowledges at once and fsyncs within
         * the interval, "none" leaves syncing to the operating system.
         */
        private Policy policy = Policy.IMMEDIATE;

        /**
         * The longest time an acknowledged write may stay unsynced under the "grouped"
         * policy. Ignored by the other policies. Must be positive.
         */
        private Duration interval = Duration.ofMillis(2);

        /**
         * The flush policy.
         *
         * @return the policy, never {@code null}
         */
        public Policy getPolicy() {
            return policy;
        }

        /**
         * Sets the flush policy.
         *
         * @param policy the policy
         */
        public void setPolicy(Policy policy) {
            this.policy = policy;
        }

        /**
         * The sync interval of the grouped policy.
         *
         * @return the interval
         */
        public Duration getInterval() {
            return interval;
        }

        /**
         * Sets the sync interval of the grouped policy.
         *
         * @param interval a positive duration
         */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** {@code etch.stores.<name>.snapshot.*}. */
    public static class Snapshot {

        /**
         * Log entries (transactions) between automatic snapshots. Zero turns the entry
         * threshold off. Unset, it follows the state: at least 50000 entries and at least as
         * many as the newest snapshot holds records.
         */
        private Long every;

        /**
         * Log size that also triggers a snapshot. Zero turns the size threshold off. Unset,
         * it follows the state: at least 64MB and at least the newest snapshot's size.
         */
        private DataSize logSize;

        /**
         * Log entries between automatic snapshots.
         *
         * @return zero or positive, or {@code null} for the store's default
         */
        public Long getEvery() {
            return every;
        }

        /**
         * Sets the log entries between automatic snapshots.
         *
         * @param every zero (off) or positive, or {@code null} for the store's default
         */
        public void setEvery(Long every) {
            this.every = every;
        }

        /**
         * Log size that also triggers a snapshot.
         *
         * @return the size, or {@code null} for the store's default
         */
        public DataSize getLogSize() {
            return logSize;
        }

        /**
         * Sets the log size that also triggers a snapshot.
         *
         * @param logSize zero (off) or positive, or {@code null} for the store's default
         */
        public void setLogSize(DataSize logSize) {
            this.logSize = logSize;
        }
    }

    /** The flush policies, as named in configuration. */
    public enum Policy {
        /** Acknowledge a write once it is fsynced; concurrent writers share fsyncs. */
        IMMEDIATE,
        /** Acknowledge at once, fsync in the background within {@code flush.interval}. */
        GROUPED,
        /** Never fsync; survives a process crash, not a power cut. */
        NONE
    }

    /** The value codecs, as named in configuration. */
    public enum Codec {
        /**
         * Jackson 3 with CBOR and Etch's own mapper configuration (not the application's
         * JSON mapper, so that changing web serialization never changes stored data).
         */
        JACKSON,
        /** etchdb's postcard format, byte-compatible with data written by the Rust etchdb. */
        POSTCARD
    }
}
