package dev.etch.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.transaction.annotation.Propagation;

/**
 * Makes a bean method (or every public method of a bean class) one atomic transaction on an
 * Etch store.
 *
 * <pre>{@code
 * @EtchTransactional
 * public long lend(String isbn, String member) {
 *     if (!library.read().books().containsKey(isbn)) throw new UnknownBook(isbn); // nothing written
 *     return library.writeAndGet(lib -> ...);                                     // joins
 * }
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 * <ul>
 *   <li>The store's writer lock is taken on method entry and held until the transaction
 *       ends, so a read followed by a write in the method (check-then-act) is safe against
 *       every other writer of the store.</li>
 *   <li>{@code write}, {@code writeAndGet} and {@code writeDurable} calls in the method, on
 *       the calling thread, join the transaction; {@code read()} sees its uncommitted writes.
 *       Everything commits as one log entry when the method returns.</li>
 *   <li>Spring's rollback rules: a {@link RuntimeException} or {@link Error} rolls back, a
 *       checked exception commits; {@link #rollbackFor()} and {@link #noRollbackFor()}
 *       override that. A rollback discards every change of the method.</li>
 *   <li>The method returns only once the commit is acknowledged under the store's flush
 *       policy, and {@code TransactionSynchronization.afterCommit} callbacks run only
 *       then.</li>
 *   <li>{@link #readOnly()}: no writer lock; every {@code read()} of the store in the method
 *       returns the same snapshot, taken on entry, and writes fail with
 *       {@link IllegalStateException}.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * It works through a Spring proxy (class- or interface-based): a call from one method of a
 * bean to another method of the same bean (self-invocation) does not start a transaction,
 * and neither do private methods or objects Spring did not create. The transaction is bound
 * to the calling thread; work handed to other threads is outside it. Supported propagations:
 * {@code REQUIRED}, {@code SUPPORTS}, {@code MANDATORY}, {@code NEVER}; {@code REQUIRES_NEW},
 * {@code NOT_SUPPORTED} and {@code NESTED} fail with a
 * {@link org.springframework.transaction.TransactionException} when a transaction of the same
 * store is already active, because a store has one writer at a time and no savepoints.
 *
 * <p>Startup fails if the named store does not exist, or if no store is named and the
 * application has more than one.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface EtchTransactional {

    /**
     * Alias for {@link #store()}.
     *
     * @return the store name
     */
    @AliasFor("store")
    String value() default "";

    /**
     * The store name ({@code etch.stores.<name>}, or the bean name of an {@code EtchStore}
     * the application declares). Empty means the application's only store.
     *
     * @return the store name, or empty for the only store
     */
    @AliasFor("value")
    String store() default "";

    /**
     * How the method relates to a transaction already active on the thread; see the class
     * documentation for the supported values.
     *
     * @return the propagation, {@link Propagation#REQUIRED} by default
     */
    Propagation propagation() default Propagation.REQUIRED;

    /**
     * Whether the method only reads: it then reads one consistent snapshot, takes no writer
     * lock, and cannot write.
     *
     * @return {@code true} for a read-only transaction
     */
    boolean readOnly() default false;

    /**
     * How long, in seconds, a read-write transaction waits for the store's writer lock when
     * it begins. If another transaction holds the lock that long, the method does not run
     * and {@link org.springframework.transaction.TransactionTimedOutException} is thrown.
     * A transaction that has begun runs to its end. Only a method that starts the
     * transaction applies it; one that joins does not.
     *
     * @return the timeout in seconds, or -1 (the default) to wait as long as it takes
     */
    int timeout() default -1;

    /**
     * Exception types that roll back, in addition to runtime exceptions and errors (typically
     * checked exceptions). Subclasses match too; the closest match wins.
     *
     * @return the exception types that cause a rollback
     */
    Class<? extends Throwable>[] rollbackFor() default {};

    /**
     * Exception types that do not roll back, even if they are runtime exceptions. Subclasses
     * match too; the closest match wins.
     *
     * @return the exception types that commit
     */
    Class<? extends Throwable>[] noRollbackFor() default {};
}
