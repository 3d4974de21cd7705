package dev.etch.spring.transaction;

import dev.etch.EtchException;
import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.EtchTimeoutException;
import dev.etch.EtchTransaction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.TransactionSuspensionNotSupportedException;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.SmartTransactionObject;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link org.springframework.transaction.PlatformTransactionManager} of one Etch store:
 * a Spring transaction is one {@link EtchTransaction} ({@link EtchStore#begin()}), so
 * {@code @EtchTransactional}, {@code @Transactional("<store>TransactionManager")} and
 * {@code TransactionTemplate} all get the store's semantics.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A read-write transaction holds the store's writer lock from begin to commit or
 *       rollback; writes on the same thread join it and {@code read()} sees them.</li>
 *   <li>{@code commit} returns once the store acknowledged the commit under its flush
 *       policy, so {@code afterCommit} synchronizations run only after that.</li>
 *   <li>A read-only transaction takes no lock. It pins the snapshot current at begin: through
 *       a {@link TransactionAwareEtchStore} (what the starter's store beans are), every
 *       {@code read()} in the transaction returns it and writes fail.</li>
 *   <li>One manager per store: a read-write transaction is known to the manager that began
 *       it (it holds the store's writer lock, so a second manager of the same store would
 *       fail to begin instead of joining). The starter creates exactly one.</li>
 *   <li>Every isolation level is accepted, by a new transaction and by one that joins:
 *       write transactions are serializable (one writer at a time), which is at least as
 *       strong as any level asked for. A joining definition's timeout is ignored too.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>{@code REQUIRES_NEW} and {@code NOT_SUPPORTED} inside a transaction of the same store
 *       fail with {@link TransactionSuspensionNotSupportedException}, {@code NESTED} with
 *       {@link NestedTransactionNotSupportedException}: the one writer cannot start a second
 *       transaction, and the store has no savepoints.</li>
 *   <li>A timeout bounds the wait for the store's writer lock when a read-write transaction
 *       begins: if another transaction holds it that long, the transaction does not start
 *       and {@link TransactionTimedOutException} is thrown. Once begun, the transaction runs
 *       to its end (its writes are in memory and never wait); a read-only transaction takes
 *       no lock, so its timeout has nothing to bound.</li>
 *   <li>A read-write participant inside a read-only transaction of this store fails with
 *       {@link org.springframework.transaction.IllegalTransactionStateException}. Only this
 *       store's transaction counts: transactions of other stores or managers on the thread,
 *       read-only or not, do not matter.</li>
 *   <li>A write that joined a transaction and threw makes the transaction rollback-only at
 *       once (the store cannot tell the write's partial changes apart,
 *       {@link EtchTransaction#isRollbackOnly()}): the status reports it, and the commit rolls
 *       back without {@code beforeCommit} and throws {@link UnexpectedRollbackException}.</li>
 *   <li>A log failure at commit is a {@link TransactionSystemException} whose cause is the
 *       {@link EtchStorageException}; nothing was applied. A commit refused because a joined
 *       write failed is an {@link UnexpectedRollbackException}.</li>
 * </ul>
 */
public class EtchTransactionManager extends AbstractPlatformTransactionManager implements ResourceTransactionManager {

    private static final long serialVersionUID = 1L;

    /** Suffix of the bean name of a store's transaction manager: {@code <store>TransactionManager}. */
    public static final String BEAN_NAME_SUFFIX = "TransactionManager";

    private final String storeName;
    private final transient EtchStore<?> store;
    /**
     * The read-write transaction in progress and the thread that runs it. The store's writer
     * lock admits one at a time, so two fields serve where a thread-local binding would cost
     * a map per transaction: only the owner ever reads its own thread here, because only it
     * writes its own thread (and clears it before the lock is released).
     */
    private transient Thread writeOwner;
    private transient EtchTransactionHolder writeHolder;
    /** Read-only transactions open on any thread; they are bound to their thread as resources. */
    private final transient AtomicInteger readOnlyTransactions = new AtomicInteger();

    /**
     * Creates the transaction manager of a store.
     *
     * @param storeName the store name, used in messages
     * @param store the store; transactions are bound to this object, so pass the bean the
     *     application uses (for read-only pinning, a {@link TransactionAwareEtchStore})
     */
    public EtchTransactionManager(String storeName, EtchStore<?> store) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.store = Objects.requireNonNull(store, "store");
        // NESTED must reach doBegin so that it fails with an Etch-specific message rather
        // than the generic advice to set nestedTransactionAllowed.
        setNestedTransactionAllowed(true);
        // Spring's validation of existing transactions is left off (as in
        // DataSourceTransactionManager): it reads the thread-wide read-only flag and isolation
        // level of TransactionSynchronizationManager, which describe the innermost transaction
        // of any manager on the thread, not this store's. prepareSynchronization checks the
        // store's own transaction instead.
    }

    /**
     * The bean name the starter gives to the transaction manager of a store.
     *
     * @param storeName the store name
     * @return {@code <storeName>TransactionManager}
     */
    public static String beanName(String storeName) {
        return storeName + BEAN_NAME_SUFFIX;
    }

    /**
     * The name of the store this manager runs transactions on.
     *
     * @return the store name
     */
    public String getStoreName() {
        return storeName;
    }

    /**
     * The store this manager runs transactions on; it is also the key under which a read-only
     * transaction binds its pinned snapshot in {@link TransactionSynchronizationManager}. A
     * read-write transaction is not bound there: the store's writer lock admits one at a time,
     * so this manager keeps it itself (see {@link #isTransactionActive()}).
     *
     * @return the store
     */
    @Override
    public EtchStore<?> getResourceFactory() {
        return store;
    }

    @Override
    protected Object doGetTransaction() {
        return new EtchTransactionObject(currentHolder());
    }

    /** The transaction of this store on the calling thread, or {@code null}. */
    private EtchTransactionHolder currentHolder() {
        if (writeOwner == Thread.currentThread()) {
            return writeHolder;
        }
        if (readOnlyTransactions.get() == 0) {
            return null;
        }
        return (EtchTransactionHolder) TransactionSynchronizationManager.getResource(store);
    }

    /**
     * Whether the calling thread is inside a Spring transaction of this manager.
     *
     * @return true between begin and completion of a transaction started on this thread,
     *     read-write or read-only
     */
    public boolean isTransactionActive() {
        return currentHolder() != null;
    }

    @Override
    protected boolean isExistingTransaction(Object transaction) {
        return ((EtchTransactionObject) transaction).holder != null;
    }

    /**
     * Spring's synchronization set-up without the thread-local writes that only store "none":
     * a new synchronization starts only when no transaction is active on the thread, and then
     * Spring has left the isolation level, read-only flag, name and active flag absent or
     * null ({@code clear()} removes them, {@code suspend()} nulls them). Writing null again
     * would only create thread-local entries, which on JDK 17 cost more than the rest of the
     * set-up together. What readers of {@link TransactionSynchronizationManager} see is the
     * same.
     */
    @Override
    protected void prepareSynchronization(DefaultTransactionStatus status, TransactionDefinition definition) {
        if (status.hasTransaction() && !status.isNewTransaction()) {
            checkParticipation((EtchTransactionObject) status.getTransaction(), definition);
        }
        if (!status.isNewSynchronization()) {
            return;
        }
        if (status.hasTransaction()) {
            TransactionSynchronizationManager.setActualTransactionActive(true);
        }
        if (definition.getIsolationLevel() != TransactionDefinition.ISOLATION_DEFAULT) {
            TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(definition.getIsolationLevel());
        }
        if (definition.isReadOnly()) {
            TransactionSynchronizationManager.setCurrentTransactionReadOnly(true);
        }
        if (definition.getName() != null) {
            TransactionSynchronizationManager.setCurrentTransactionName(definition.getName());
        }
        TransactionSynchronizationManager.initSynchronization();
    }

    /**
     * Checks a definition that joins this store's transaction on the thread (Spring calls
     * {@link #prepareSynchronization} for every participating status before returning it,
     * and the joining status has nothing to undo). Only the store's own transaction counts:
     * a read-only transaction of another store on the thread says nothing about this one.
     * Isolation and timeout of a joining definition are ignored: the transaction it joins is
     * already serializable, and its writer lock already taken.
     */
    private void checkParticipation(EtchTransactionObject txObject, TransactionDefinition definition) {
        EtchTransactionHolder holder = txObject.holder;
        if (holder != null && holder.isReadOnly() && !definition.isReadOnly()) {
            throw new IllegalTransactionStateException("Participating transaction with definition [" + definition
                    + "] is read-write, but the transaction of Etch store '" + storeName + "' it would join is"
                    + " read-only. Remove readOnly from the outer transaction, or mark the inner one readOnly.");
        }
    }

    @Override
    protected boolean useSavepointForNestedTransaction() {
        return false;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        EtchTransactionObject txObject = (EtchTransactionObject) transaction;
        if (txObject.holder != null) {
            throw new NestedTransactionNotSupportedException("Etch store '" + storeName + "' cannot run a NESTED"
                    + " transaction inside its current one: a store has no savepoints. Use REQUIRED to join the"
                    + " current transaction.");
        }
        if (definition.isReadOnly()) {
            EtchTransactionHolder holder = EtchTransactionHolder.readOnly(store.read());
            TransactionSynchronizationManager.bindResource(store, holder);
            readOnlyTransactions.incrementAndGet();
            if (store instanceof TransactionAwareEtchStore<?> aware) {
                aware.readOnlyTransactionStarted();
            }
            txObject.holder = holder;
        } else {
            EtchTransactionHolder holder =
                    EtchTransactionHolder.readWrite(beginStoreTransaction(determineTimeout(definition)));
            writeHolder = holder;
            writeOwner = Thread.currentThread();
            txObject.holder = holder;
        }
    }

    /** Spring has already refused timeouts below {@code TIMEOUT_DEFAULT}. */
    private EtchTransaction<?> beginStoreTransaction(int timeoutSeconds) {
        try {
            return timeoutSeconds == TransactionDefinition.TIMEOUT_DEFAULT ? store.begin()
                    : store.begin(Duration.ofSeconds(timeoutSeconds));
        } catch (EtchTimeoutException e) {
            throw new TransactionTimedOutException("Transaction on Etch store '" + storeName + "' not started: its"
                    + " timeout of " + timeoutSeconds + " s passed while another transaction held the store's writer"
                    + " lock. Retry, or raise the timeout.", e);
        } catch (IllegalStateException e) {
            throw new CannotCreateTransactionException("Cannot start a Spring transaction on Etch store '" + storeName
                    + "': this thread is already inside a transaction of the store that Spring does not manage (a"
                    + " store.write(...) lambda or store.begin()). Call the transactional method outside it, or"
                    + " make the outer code @EtchTransactional so the inner method joins.", e);
        } catch (EtchException e) {
            throw new CannotCreateTransactionException("Cannot start a transaction on Etch store '" + storeName
                    + "': " + e.getMessage(), e);
        }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        EtchTransactionHolder holder = ((EtchTransactionObject) status.getTransaction()).holder;
        if (holder.transaction() == null) {
            return;
        }
        releaseWriteOwnership();
        try {
            holder.transaction().commit();
        } catch (EtchStorageException e) {
            throw new TransactionSystemException("Could not commit the transaction on Etch store '" + storeName
                    + "': the log could not be written or synced, nothing was applied", e);
        } catch (EtchException e) {
            throw new UnexpectedRollbackException("The transaction on Etch store '" + storeName
                    + "' was rolled back instead of committed: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        EtchTransactionHolder holder = ((EtchTransactionObject) status.getTransaction()).holder;
        EtchTransaction<?> transaction = holder.transaction();
        // Only while this thread still holds the writer lock: after a failed commit released
        // it, the fields may already belong to the next transaction.
        if (transaction != null && transaction.isActive()) {
            releaseWriteOwnership();
            transaction.rollback();
        }
    }

    /**
     * Forgets the read-write transaction of this thread. Called while the thread still holds
     * the store's writer lock, just before commit, rollback or close releases it: once the
     * lock is free, the next transaction's owner writes these fields.
     */
    private void releaseWriteOwnership() {
        writeOwner = null;
        writeHolder = null;
    }

    @Override
    protected void doSetRollbackOnly(DefaultTransactionStatus status) {
        ((EtchTransactionObject) status.getTransaction()).holder.setRollbackOnly();
    }

    @Override
    protected Object doSuspend(Object transaction) {
        throw new TransactionSuspensionNotSupportedException("Etch store '" + storeName + "' cannot suspend its"
                + " current transaction for REQUIRES_NEW or NOT_SUPPORTED: the transaction holds the store's only"
                + " writer lock, so a second transaction on this thread would wait for itself. Use REQUIRED to"
                + " join the current transaction, or run the work after it ends.");
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        EtchTransactionObject txObject = (EtchTransactionObject) transaction;
        EtchTransactionHolder holder = txObject.holder;
        txObject.holder = null;
        if (holder == null) {
            return;
        }
        if (holder.isReadOnly()) {
            TransactionSynchronizationManager.unbindResourceIfPossible(store);
            readOnlyTransactions.decrementAndGet();
            if (store instanceof TransactionAwareEtchStore<?> aware) {
                aware.readOnlyTransactionEnded();
            }
            return;
        }
        if (holder.transaction().isActive()) {
            // Commit and rollback never ran (for example, a synchronization failed before
            // completion), so this thread still holds the writer lock: release it.
            releaseWriteOwnership();
            holder.transaction().close();
        }
    }

    @Override
    public String toString() {
        return "EtchTransactionManager[" + storeName + "]";
    }

    /** The per-call transaction object: the holder bound to the thread, if any. */
    private static final class EtchTransactionObject implements SmartTransactionObject {

        EtchTransactionHolder holder;

        EtchTransactionObject(EtchTransactionHolder holder) {
            this.holder = holder;
        }

        /**
         * Rollback-only once Spring marked the transaction (a failed participant) or as soon as
         * a joined write threw: the store then can only roll the transaction back, so Spring
         * must not prepare a commit.
         */
        @Override
        public boolean isRollbackOnly() {
            return holder != null && holder.isRollbackOnly();
        }

        @Override
        public void flush() {
            // Commits are flushed by the store itself according to its policy.
        }
    }
}
