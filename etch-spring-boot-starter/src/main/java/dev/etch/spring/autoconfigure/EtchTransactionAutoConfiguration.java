package dev.etch.spring.autoconfigure;

import dev.etch.spring.transaction.EtchTransactionAttributeSource;
import dev.etch.spring.transaction.EtchTransactionInterceptor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * Auto-configuration of Etch transactions: an {@code EtchTransactionManager} per store
 * ({@code <store>TransactionManager}) and the proxy advice behind {@code @EtchTransactional}.
 *
 * <p>The advice reads only {@code @EtchTransactional}; plain {@code @Transactional} keeps
 * working with the application's own transaction management. Ordered after the JDBC and JPA
 * transaction-manager auto-configurations, whose {@code @ConditionalOnMissingBean} must not
 * see the Etch managers, and before Boot's transaction auto-configuration, which enables
 * {@code @Transactional} when a transaction manager exists.
 */
@AutoConfiguration(after = EtchAutoConfiguration.class,
        afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
                "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration"},
        beforeName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnClass(PlatformTransactionManager.class)
@Import(EtchTransactionManagerRegistrar.class)
public final class EtchTransactionAutoConfiguration {

    /** Bean name of the advisor that applies {@code @EtchTransactional}. */
    public static final String ADVISOR_BEAN_NAME = "etchTransactionAdvisor";

    /**
     * The advisor is the only bean: its attribute source and interceptor are kept out of the
     * context so that they never compete with Spring's own {@code TransactionAttributeSource}
     * and {@code TransactionInterceptor} beans when {@code @EnableTransactionManagement} is on.
     */
    @Bean(name = ADVISOR_BEAN_NAME)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static BeanFactoryTransactionAttributeSourceAdvisor etchTransactionAdvisor(BeanFactory beanFactory,
            ObjectProvider<ApplicationEventPublisher> eventPublisher) {
        EtchTransactionAttributeSource source = new EtchTransactionAttributeSource();
        source.setBeanFactory(beanFactory);
        EtchTransactionInterceptor interceptor = new EtchTransactionInterceptor(source);
        interceptor.setBeanFactory(beanFactory);
        // As for Spring's own interceptor bean: rollbacks publish MethodRollbackEvents.
        eventPublisher.ifAvailable(interceptor::setApplicationEventPublisher);
        BeanFactoryTransactionAttributeSourceAdvisor advisor = new BeanFactoryTransactionAttributeSourceAdvisor();
        advisor.setTransactionAttributeSource(source);
        advisor.setAdvice(interceptor);
        return advisor;
    }
}
