package dev.etch;

/**
 * A write transaction opened with {@link EtchStore#begin()} and finished with
 * {@link #commit()} or {@link #rollback()}: the programmatic form of
 * {@link EtchStore#write}, for frameworks that open a transaction in one call and end it in
 * another (such as Spring's transaction managers).
 *
 * <p>The transaction belongs to the thread that began it and holds the store's writer lock
 * until it ends, so check-then-act sequences inside it are safe. On that thread,
 * {@link EtchStore#write} and {@link EtchStore#writeAndGet} join it, and
 * {@link EtchStore#read()} sees its uncommitted writes. Closing a transaction that was not
 * committed rolls it back, so the usual form is:
 *
 * <pre>{@code
 * try (EtchTransaction<Library> tx = store.begin()) {
 *     tx.state().books().put("isbn-1", book);
 *     tx.commit();
 * }
 * }</pre>
 *
 * @param <T> the state type
 */
public interface EtchTransaction<T> extends AutoCloseable {

    /**
     * The transaction's view of the state: maps that read the transaction's own writes and
     * record every change.
     *
     * @return the mutable view
     * @throws IllegalStateException if the transaction has ended or is used from another
     *     thread
     */
    T state();

    /**
     * Logs and applies every change, then releases the writer lock. Returns once the commit
     * is acknowledged under the store's flush policy.
     *
     * @throws IllegalStateException if the transaction has already ended or is called from
     *     another thread
     * @throws EtchStorageException if the log could not be written or synced; nothing was
     *     applied
     * @throws EtchException if a write joined to the transaction failed (it was rolled back
     *     instead), or if the changes would be larger than one log entry can hold (about
     *     2 GiB encoded); nothing was applied
     */
    void commit();

    /**
     * Discards every change and releases the writer lock. Does nothing if the transaction
     * has already ended.
     */
    void rollback();

    /**
     * Whether the transaction can only roll back: a write joined to it threw, so its changes
     * cannot be told apart from the rest, and {@link #commit()} will fail and roll back.
     *
     * @return {@code true} from the failed joined write on, while the transaction is active
     */
    boolean isRollbackOnly();

    /**
     * Whether the transaction is still open (neither committed nor rolled back).
     *
     * @return {@code true} until commit or rollback
     */
    boolean isActive();

    /** Rolls back if the transaction is still active; otherwise does nothing. */
    @Override
    void close();
}
