package dev.etch.spring.transaction;

import dev.etch.EtchStats;
import dev.etch.EtchStore;
import dev.etch.EtchTransaction;
import dev.etch.ReplayReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An {@link EtchStore} that also honours read-only Spring transactions of its
 * {@link EtchTransactionManager}: inside one, every {@link #read()} on that thread returns
 * the snapshot pinned when the transaction began, and every write fails. Everything else is
 * the wrapped store's behaviour, unchanged (read-write transactions need no help: the store
 * binds them to the thread itself).
 *
 * <p>The starter's store beans are of this type. Wrap a store you declare yourself to get
 * the same read-only semantics:
 * {@code @Bean EtchStore<Library> library() { return new TransactionAwareEtchStore<>(EtchStore.open(...)); }}.
 *
 * <p>Outside read-only transactions the cost is one volatile read per call.
 *
 * @param <T> the state type
 */
public class TransactionAwareEtchStore<T> implements EtchStore<T> {

    private final EtchStore<T> delegate;
    /** Read-only transactions open on any thread; reads skip the thread-local lookup when zero. */
    private final AtomicInteger readOnlyTransactions = new AtomicInteger();

    /**
     * Wraps a store.
     *
     * @param delegate the open store; closing this wrapper closes it
     */
    public TransactionAwareEtchStore(EtchStore<T> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The wrapped store.
     *
     * @return the store given at construction
     */
    public EtchStore<T> getTargetStore() {
        return delegate;
    }

    void readOnlyTransactionStarted() {
        readOnlyTransactions.incrementAndGet();
    }

    void readOnlyTransactionEnded() {
        readOnlyTransactions.decrementAndGet();
    }

    private EtchTransactionHolder readOnlyHolder() {
        if (readOnlyTransactions.get() == 0) {
            return null;
        }
        Object holder = TransactionSynchronizationManager.getResource(this);
        return holder instanceof EtchTransactionHolder h && h.isReadOnly() ? h : null;
    }

    private void checkWritable() {
        if (readOnlyHolder() != null) {
            throw new IllegalStateException("Write on " + delegate + " inside a read-only transaction of that store;"
                    + " remove readOnly from the transaction, or write outside it.");
        }
    }

    /**
     * The pinned snapshot inside a read-only transaction of this store; otherwise
     * {@link EtchStore#read()} of the wrapped store.
     *
     * @return the state snapshot
     * @throws dev.etch.EtchClosedException if the store is closed
     */
    @Override
    @SuppressWarnings("unchecked")
    public T read() {
        EtchTransactionHolder holder = readOnlyHolder();
        return holder != null ? (T) holder.snapshot() : delegate.read();
    }

    /**
     * Applies a function to what {@link #read()} returns.
     *
     * @param fn the query
     * @param <R> the result type
     * @return the function's result
     * @throws dev.etch.EtchClosedException if the store is closed
     */
    @Override
    public <R> R read(Function<? super T, ? extends R> fn) {
        return fn.apply(read());
    }

    /**
     * {@link EtchStore#write} of the wrapped store.
     *
     * @param fn the transaction body
     * @throws IllegalStateException inside a read-only transaction of this store
     */
    @Override
    public void write(Consumer<? super T> fn) {
        checkWritable();
        delegate.write(fn);
    }

    /**
     * {@link EtchStore#writeAndGet} of the wrapped store.
     *
     * @param fn the transaction body
     * @param <R> the result type
     * @return the function's result
     * @throws IllegalStateException inside a read-only transaction of this store
     */
    @Override
    public <R> R writeAndGet(Function<? super T, ? extends R> fn) {
        checkWritable();
        return delegate.writeAndGet(fn);
    }

    /**
     * {@link EtchStore#writeDurable} of the wrapped store.
     *
     * @param fn the transaction body
     * @throws IllegalStateException inside a read-only transaction of this store
     */
    @Override
    public void writeDurable(Consumer<? super T> fn) {
        checkWritable();
        delegate.writeDurable(fn);
    }

    /**
     * {@link EtchStore#begin} of the wrapped store.
     *
     * @return the open transaction
     * @throws IllegalStateException inside a read-only transaction of this store, or if the
     *     thread is already in a transaction of the store
     */
    @Override
    public EtchTransaction<T> begin() {
        checkWritable();
        return delegate.begin();
    }

    /**
     * {@link EtchStore#begin(Duration)} of the wrapped store.
     *
     * @param maxWait how long to wait for the writer lock
     * @return the open transaction
     * @throws IllegalStateException inside a read-only transaction of this store, or if the
     *     thread is already in a transaction of the store
     * @throws dev.etch.EtchTimeoutException if the writer lock stayed taken for all of
     *     {@code maxWait}
     */
    @Override
    public EtchTransaction<T> begin(Duration maxWait) {
        checkWritable();
        return delegate.begin(maxWait);
    }

    /**
     * {@link EtchStore#flush(Duration)} of the wrapped store.
     *
     * @param timeout how long to wait at most
     */
    @Override
    public void flush(Duration timeout) {
        delegate.flush(timeout);
    }

    /** {@link EtchStore#snapshot()} of the wrapped store. */
    @Override
    public void snapshot() {
        delegate.snapshot();
    }

    /**
     * {@link EtchStore#directory()} of the wrapped store.
     *
     * @return the data directory, empty in memory
     */
    @Override
    public Optional<Path> directory() {
        return delegate.directory();
    }

    /**
     * {@link EtchStore#stats()} of the wrapped store.
     *
     * @return the counters now
     */
    @Override
    public EtchStats stats() {
        return delegate.stats();
    }

    /**
     * {@link EtchStore#replayReport()} of the wrapped store.
     *
     * @return the report of the open
     */
    @Override
    public ReplayReport replayReport() {
        return delegate.replayReport();
    }

    /**
     * {@link EtchStore#stateType()} of the wrapped store.
     *
     * @return the state class
     */
    @Override
    public Class<T> stateType() {
        return delegate.stateType();
    }

    /** Closes the wrapped store; see {@link EtchStore#close()}. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
