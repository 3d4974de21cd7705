package dev.etch;

import dev.etch.engine.StoreEngine;
import dev.etch.engine.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An embedded database whose state is an ordinary Java record of maps, read from memory and
 * changed only through atomic, logged transactions.
 *
 * <pre>{@code
 * public record Library(
 *         @EtchCollection(0) Map<String, Book> books,
 *         @EtchCollection(1) NavigableMap<Long, Loan> loans) {}
 *
 * try (EtchStore<Library> store = EtchStore.open(Library.class, Path.of("data/library"))) {
 *     store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
 *     Book dune = store.read().books().get("isbn-1");
 * }
 * }</pre>
 *
 * <h2>Reads</h2>
 * {@link #read()} returns an immutable snapshot of the whole state: all of a committed
 * transaction or none of it. It never blocks, never waits for a writer or an fsync, and stays
 * valid and unchanged for as long as the caller keeps it, while writes go on. Its maps throw
 * {@link UnsupportedOperationException} on any mutation.
 *
 * <h2>Writes</h2>
 * Writes are serialized. Inside {@link #write} and {@link #writeAndGet} the state's maps are
 * transaction views: they read the transaction's own writes, implement the whole
 * {@code Map} (or {@code NavigableMap}) contract, and record every change. When the function
 * returns, the changes are appended to the log as one entry and become visible to readers
 * together; when it throws, every change is discarded and the exception reaches the caller
 * unchanged. A write called inside another write (or inside an {@link EtchTransaction}) on the
 * same thread joins it: its changes commit or roll back with the outer transaction.
 *
 * <p>Keys and values must not be {@code null}; values must be immutable once put (records are
 * ideal), because readers share them. Keys are {@code String}, {@code Integer}, {@code Long},
 * {@code Short}, {@code Byte}, {@code UUID}, {@code InetAddress}, enums, and records of those.
 *
 * <h2>Durability</h2>
 * A write is acknowledged (returns) according to the store's {@link FlushPolicy}; under the
 * default, {@link FlushPolicy#immediate()}, only after its log entry is fsynced, and readers
 * see it only then.
 *
 * <h2>Threads and lifecycle</h2>
 * A store is safe for any number of threads. {@link #close()} waits for the write in
 * progress, flushes the log, and releases the directory; every later call fails with
 * {@link EtchClosedException}.
 *
 * @param <T> the state type: a record whose components are maps annotated with
 *     {@link EtchCollection}
 */
public interface EtchStore<T> extends AutoCloseable {

    /**
     * Opens (or creates) a durable store in a directory with the default settings:
     * {@link FlushPolicy#immediate()}, the default Jackson codec, lenient recovery.
     *
     * @param stateType the state record type
     * @param directory the data directory; created if missing
     * @param <T> the state type
     * @return the open store, with the snapshot loaded and the log replayed
     * @throws EtchSchemaException if the state type is not a valid state record
     * @throws DatabaseLockedException if another store has the directory open
     * @throws EtchStorageException if the directory cannot be created, read or written
     */
    static <T> EtchStore<T> open(Class<T> stateType, Path directory) {
        return builder(stateType).directory(directory).open();
    }

    /**
     * Opens a store that lives only in memory: the same semantics, no directory, nothing
     * survives {@link #close()} or the process.
     *
     * @param stateType the state record type
     * @param <T> the state type
     * @return the open, empty store
     * @throws EtchSchemaException if the state type is not a valid state record
     */
    static <T> EtchStore<T> inMemory(Class<T> stateType) {
        return builder(stateType).open();
    }

    /**
     * Starts configuring a store. Without {@link Builder#directory(Path)} the store lives in
     * memory only.
     *
     * @param stateType the state record type
     * @param <T> the state type
     * @return a builder with the default settings
     */
    static <T> Builder<T> builder(Class<T> stateType) {
        return new Builder<>(stateType);
    }

    /**
     * The latest acknowledged state, as an immutable snapshot. Never blocks.
     *
     * <p>On a thread that is inside a write transaction of this store, returns an immutable
     * snapshot of that transaction's state, including its uncommitted changes.
     *
     * @return the state; its maps reject mutation
     * @throws EtchClosedException if the store is closed
     */
    T read();

    /**
     * Applies a function to the latest acknowledged state; equivalent to
     * {@code fn.apply(read())}.
     *
     * @param fn the query, which must not retain mutable references it expects to change
     * @param <R> the result type
     * @return what the function returned
     * @throws EtchClosedException if the store is closed
     */
    <R> R read(Function<? super T, ? extends R> fn);

    /**
     * Runs a write transaction and waits until it is acknowledged under the flush policy.
     *
     * @param fn the transaction body; it receives the mutable transaction view
     * @throws EtchClosedException if the store is closed
     * @throws EtchCodecException if a key or value cannot be encoded; nothing is applied
     * @throws EtchStorageException if the log cannot be written or synced; nothing is applied
     * @throws EtchException if the changes would be larger than one log entry can hold (about
     *     2 GiB encoded); nothing is applied
     * @throws RuntimeException whatever {@code fn} throws, unchanged; nothing is applied
     */
    void write(Consumer<? super T> fn);

    /**
     * Runs a write transaction that computes a result, and waits until it is acknowledged.
     * Named apart from {@link #write} so that lambdas are never ambiguous.
     *
     * @param fn the transaction body; what it returns is returned after the commit
     * @param <R> the result type
     * @return the function's result
     * @throws EtchClosedException if the store is closed
     * @throws EtchCodecException if a key or value cannot be encoded; nothing is applied
     * @throws EtchStorageException if the log cannot be written or synced; nothing is applied
     * @throws EtchException if the changes would be larger than one log entry can hold (about
     *     2 GiB encoded); nothing is applied
     * @throws RuntimeException whatever {@code fn} throws, unchanged; nothing is applied
     */
    <R> R writeAndGet(Function<? super T, ? extends R> fn);

    /**
     * Runs a write transaction and returns only once it, and everything committed before it,
     * is fsynced, whatever the flush policy. Inside another transaction it joins that one
     * and makes its commit durable.
     *
     * @param fn the transaction body
     * @throws EtchClosedException if the store is closed
     * @throws EtchStorageException if the log cannot be written or synced
     * @throws EtchException if the changes would be larger than one log entry can hold (about
     *     2 GiB encoded); nothing is applied
     * @throws RuntimeException whatever {@code fn} throws, unchanged; nothing is applied
     */
    void writeDurable(Consumer<? super T> fn);

    /**
     * Opens a write transaction bound to the calling thread, for code that cannot wrap its
     * work in one function. Blocks until the writer lock is free.
     *
     * @return the open transaction; the caller must commit or close it
     * @throws EtchClosedException if the store is closed
     * @throws IllegalStateException if this thread is already inside a transaction of this
     *     store
     */
    EtchTransaction<T> begin();

    /**
     * Like {@link #begin()}, but waits at most {@code maxWait} for the writer lock.
     *
     * @param maxWait how long to wait for the writer lock; zero only takes it if it is free
     * @return the open transaction; the caller must commit or close it
     * @throws EtchTimeoutException if another transaction held the writer lock for all of
     *     {@code maxWait}; nothing was started
     * @throws EtchException if the thread was interrupted while waiting (its interrupt status
     *     is kept); nothing was started
     * @throws EtchClosedException if the store is closed
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws IllegalStateException if this thread is already inside a transaction of this
     *     store
     */
    EtchTransaction<T> begin(Duration maxWait);

    /**
     * Waits until every write acknowledged so far is durable on disk. Returns at once for a
     * store without a directory.
     *
     * @param timeout how long to wait at most
     * @throws EtchStorageException if the log cannot be synced (a failed fsync is retried;
     *     {@link EtchStats#lastFlushError()} shows it until a retry succeeds)
     * @throws EtchTimeoutException if the sync did not finish within {@code timeout}; the writes
     *     stay acknowledged and the sync goes on, so nothing is lost by the timeout
     * @throws EtchClosedException if the store is closed
     */
    void flush(Duration timeout);

    /**
     * Waits until every write acknowledged so far is durable on disk, for at most 30 seconds.
     *
     * @throws EtchStorageException if the log cannot be synced
     * @throws EtchTimeoutException if the sync did not finish within 30 seconds; nothing is lost
     * @throws EtchClosedException if the store is closed
     */
    default void flush() {
        flush(Duration.ofSeconds(30));
    }

    /**
     * Writes a snapshot of the current state now and starts a new log, so that the next open
     * replays only what comes after it. Readers are never blocked; writers go on into the new
     * log while the snapshot is written. Returns once the snapshot is durable. Does nothing
     * for a store without a directory.
     *
     * @throws EtchStorageException if the snapshot could not be written; the previous
     *     snapshot and log stay in place and nothing is lost
     * @throws EtchClosedException if the store is closed
     */
    void snapshot();

    /**
     * The data directory.
     *
     * @return the directory, or empty for an in-memory store
     */
    Optional<Path> directory();

    /**
     * The store's counters now.
     *
     * @return a fixed view of commits, collection sizes and log figures
     */
    EtchStats stats();

    /**
     * What the open read from the directory; {@link ReplayReport#empty()} for an in-memory
     * store.
     *
     * @return the report of the last open
     */
    ReplayReport replayReport();

    /**
     * The state record type of this store.
     *
     * @return the class passed when the store was built
     */
    Class<T> stateType();

    /**
     * Waits for the write in progress, flushes the log and releases the directory. Calling it
     * again does nothing.
     *
     * @throws EtchStorageException if the final flush fails; the directory is released anyway
     */
    @Override
    void close();

    /**
     * Configures and opens a store. Every setting has a default; a builder may be reused.
     *
     * @param <T> the state type
     */
    final class Builder<T> {

        private final StoreOptions.Mutable<T> options;

        private Builder(Class<T> stateType) {
            this.options = new StoreOptions.Mutable<>(Objects.requireNonNull(stateType, "stateType"));
        }

        /**
         * Keeps the store in this directory, created if missing. Without a directory the
         * store lives in memory only.
         *
         * @param directory the data directory
         * @return this builder
         */
        public Builder<T> directory(Path directory) {
            options.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * When writes are fsynced and acknowledged; default {@link FlushPolicy#immediate()}.
         *
         * @param policy the flush policy
         * @return this builder
         */
        public Builder<T> flushPolicy(FlushPolicy policy) {
            options.flushPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Writes a snapshot and starts a new log segment after this many log entries, in the
         * background, under every flush policy. Zero turns the entry-count trigger off (see
         * also {@link #snapshotLogSize(long)}).
         *
         * <p>Without this call the threshold follows the state: at least 50,000 entries and
         * at least as many entries as the newest snapshot holds records (at open, as the
         * state holds). Every record rewritten into a snapshot is then paid for by at least
         * one logged write, and a reopen replays a log about as long as the snapshot it loads.
         * A fixed number rewrites a large state often: 50,000 on a million records writes
         * twenty records to snapshots per transaction.
         *
         * @param entries log entries between automatic snapshots; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<T> snapshotEvery(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("snapshotEvery must be >= 0 (0 = off), was " + entries);
            }
            options.snapshotEvery = entries;
            return this;
        }

        /**
         * Also writes a snapshot once the log has grown past this many bytes. Zero turns the
         * size threshold off. Without this call the threshold follows the state: at least
         * 64 MiB and at least the size of the newest snapshot file.
         *
         * @param bytes log size that triggers a snapshot; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<T> snapshotLogSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("snapshotLogSize must be >= 0 (0 = off), was " + bytes);
            }
            options.snapshotLogSize = bytes;
            return this;
        }

        /**
         * Adds a listener for commit, fsync and snapshot timings, for metrics. Listeners add
         * up: every listener added receives every event, in the order they were added.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<T> listener(EtchListener listener) {
            options.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * How values are encoded; default {@link ValueCodec#jackson()}.
         *
         * @param codec the value codec
         * @return this builder
         */
        public Builder<T> valueCodec(ValueCodec codec) {
            options.valueCodec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Whether opening fails with {@link WalCorruptedException} on a damaged log instead
         * of cutting it at the damage; default {@code false}.
         *
         * @param strict {@code true} to refuse to discard anything
         * @return this builder
         */
        public Builder<T> strictRecovery(boolean strict) {
            options.strictRecovery = strict;
            return this;
        }

        /**
         * Opens the store: validates the state type, takes the directory lock, loads the
         * snapshot and replays the log.
         *
         * @return the open store
         * @throws EtchSchemaException if the state type or a codec binding is invalid
         * @throws DatabaseLockedException if another store has the directory open
         * @throws WalCorruptedException in strict mode, if the log is damaged
         * @throws EtchStorageException if the directory cannot be used
         */
        public EtchStore<T> open() {
            return StoreEngine.open(options.freeze());
        }
    }
}
