package dev.etch.spring.transaction;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.interceptor.RuleBasedTransactionAttribute;

/**
 * The attribute of one {@code @EtchTransactional} method: Spring's rule-based attribute, whose
 * qualifier is the bean name of the store's {@link EtchTransactionManager}, and which keeps
 * that manager once resolved.
 */
final class EtchTransactionAttribute extends RuleBasedTransactionAttribute {

    private static final long serialVersionUID = 1L;

    private transient volatile PlatformTransactionManager manager;

    /**
     * The manager named by the qualifier, looked up once.
     *
     * @param beanFactory the factory that holds it
     * @return the store's transaction manager
     */
    PlatformTransactionManager transactionManager(BeanFactory beanFactory) {
        PlatformTransactionManager resolved = manager;
        if (resolved == null) {
            resolved = beanFactory.getBean(getQualifier(), PlatformTransactionManager.class);
            manager = resolved;
        }
        return resolved;
    }
}
