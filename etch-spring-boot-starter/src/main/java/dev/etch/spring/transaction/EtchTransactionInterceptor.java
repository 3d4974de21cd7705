package dev.etch.spring.transaction;

import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.interceptor.TransactionAttribute;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * The advice behind {@link dev.etch.spring.EtchTransactional}: Spring's
 * {@link TransactionInterceptor}, with every semantic of it (rollback rules, propagation,
 * {@code TransactionAspectSupport.currentTransactionStatus()}, synchronizations,
 * {@link org.springframework.transaction.interceptor.MethodRollbackEvent}s once an event
 * publisher is set), reading attributes from an {@link EtchTransactionAttributeSource}.
 *
 * <p>The only difference is how it finds the transaction manager: the attribute of an
 * {@code @EtchTransactional} method already names the store's {@link EtchTransactionManager}
 * bean, resolved when the method was first inspected, so the manager is kept with the
 * attribute instead of being looked up by qualifier on every call.
 */
public class EtchTransactionInterceptor extends TransactionInterceptor {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the interceptor over a source of {@code @EtchTransactional} attributes. The bean
     * factory must be set before the first call ({@link #setBeanFactory}).
     *
     * @param source the attribute source
     */
    public EtchTransactionInterceptor(EtchTransactionAttributeSource source) {
        setTransactionAttributeSource(source);
    }

    /**
     * The store's manager for an {@code @EtchTransactional} attribute; Spring's resolution
     * otherwise.
     *
     * @param txAttr the method's attribute, or {@code null} if it is not transactional
     * @param targetClass the target class
     * @return the manager
     * @throws org.springframework.beans.factory.NoSuchBeanDefinitionException if the manager
     *     the attribute names is gone from the factory
     */
    @Override
    protected TransactionManager determineTransactionManager(TransactionAttribute txAttr,
            Class<?> targetClass) {
        if (txAttr instanceof EtchTransactionAttribute etch && getBeanFactory() != null) {
            return etch.transactionManager(getBeanFactory());
        }
        return super.determineTransactionManager(txAttr, targetClass);
    }
}
