package dev.etch.spring.transaction;

import dev.etch.EtchTransaction;

/**
 * The Etch transaction bound to a thread by {@link EtchTransactionManager}: either a
 * read-write {@link EtchTransaction} or the snapshot a read-only transaction pinned.
 */
final class EtchTransactionHolder {

    private final EtchTransaction<?> transaction;
    private final Object snapshot;
    private volatile boolean rollbackOnly;

    private EtchTransactionHolder(EtchTransaction<?> transaction, Object snapshot) {
        this.transaction = transaction;
        this.snapshot = snapshot;
    }

    static EtchTransactionHolder readWrite(EtchTransaction<?> transaction) {
        return new EtchTransactionHolder(transaction, null);
    }

    static EtchTransactionHolder readOnly(Object snapshot) {
        return new EtchTransactionHolder(null, snapshot);
    }

    /** The store transaction, or {@code null} for a read-only transaction. */
    EtchTransaction<?> transaction() {
        return transaction;
    }

    /** The pinned snapshot of a read-only transaction, or {@code null} for a read-write one. */
    Object snapshot() {
        return snapshot;
    }

    boolean isReadOnly() {
        return transaction == null;
    }

    void setRollbackOnly() {
        rollbackOnly = true;
    }

    /** Marked by Spring, or a write joined to the store transaction threw. */
    boolean isRollbackOnly() {
        return rollbackOnly || transaction != null && transaction.isActive() && transaction.isRollbackOnly();
    }
}
