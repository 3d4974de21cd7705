package dev.etch.spring.autoconfigure;

import dev.etch.EtchStore;
import dev.etch.spring.transaction.EtchTransactionManager;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers an {@link EtchTransactionManager} named {@code <store>TransactionManager} for
 * every {@code EtchStore} bean (configured or declared by the application), unless a bean of
 * that name exists; and makes sure an auto-proxy creator exists for the
 * {@code @EtchTransactional} advisor.
 *
 * <p>The managers are not default candidates: injecting or looking up a plain
 * {@code PlatformTransactionManager} (as {@code @Transactional} without a qualifier does)
 * still finds the application's JDBC or JPA manager, and an Etch manager only when asked for
 * by name or qualifier, or when it is the only transaction manager.
 */
final class EtchTransactionManagerRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {

    private ListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ListableBeanFactory) beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        for (String store : beanFactory.getBeanNamesForType(EtchStore.class, true, false)) {
            String name = EtchTransactionManager.beanName(store);
            if (registry.containsBeanDefinition(name)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(EtchTransactionManager.class,
                    () -> new EtchTransactionManager(store, beanFactory.getBean(store, EtchStore.class)));
            definition.setDefaultCandidate(false);
            registry.registerBeanDefinition(name, definition);
        }
    }
}
