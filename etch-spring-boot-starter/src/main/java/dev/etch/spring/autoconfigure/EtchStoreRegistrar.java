package dev.etch.spring.autoconfigure;

import dev.etch.EtchStore;
import dev.etch.spring.EtchListenerFactory;
import dev.etch.spring.EtchProperties;
import dev.etch.spring.EtchStoreCustomizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@code EtchStore<State>} bean per {@code etch.stores.<name>} entry, named and
 * qualified by the store name, typed with its generics so that it injects as
 * {@code EtchStore<Library>}; the store opens when the bean is created (eagerly, even under
 * lazy initialization, so bad configuration fails startup) and closes when it is destroyed.
 *
 * <p>Backs off for a store when the application already declares a bean of that name, or an
 * {@code EtchStore} bean of that state type under a name that is not another configured
 * store's (a bean named after a store replaces that store only). Runs while
 * auto-configurations are processed, so it sees the application's own bean definitions, as
 * {@code @ConditionalOnMissingBean} does.
 */
final class EtchStoreRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    static final String PREFIX = "etch.stores";

    private static final Logger logger = LoggerFactory.getLogger(EtchStoreRegistrar.class);

    private Environment environment;
    private ListableBeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ListableBeanFactory) beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        EtchStoreFactory factory = new EtchStoreFactory(beanFactory.getBeanProvider(EtchListenerFactory.class),
                beanFactory.getBeanProvider(EtchStoreCustomizer.class));
        // Decide every back-off before registering anything: two stores of one state type
        // must not make the second back off for the first.
        Map<String, RootBeanDefinition> definitions = new LinkedHashMap<>();
        Map<String, EtchProperties.Store> stores = bindStores();
        for (Map.Entry<String, EtchProperties.Store> entry : stores.entrySet()) {
            String name = entry.getKey();
            EtchProperties.Store properties = entry.getValue();
            if (properties.getState() == null) {
                throw new EtchStoreOpenException(name, PREFIX + "." + name + ".state", "no state type is configured",
                        null);
            }
            ResolvableType type = ResolvableType.forClassWithGenerics(EtchStore.class, properties.getState());
            if (registry.containsBeanDefinition(name)) {
                logger.debug("Etch store '{}' backs off: the application declares a bean named '{}'", name, name);
                continue;
            }
            // A bean named after another configured store replaces that store only: it must
            // not also make this store of the same state type back off.
            String[] declared = Arrays.stream(beanFactory.getBeanNamesForType(type, true, false))
                    .filter(bean -> !stores.containsKey(bean))
                    .toArray(String[]::new);
            if (declared.length > 0) {
                logger.debug("Etch store '{}' backs off: the application declares {} {}", name, type,
                        Arrays.toString(declared));
                continue;
            }
            definitions.put(name, definition(factory, name, properties, type));
        }
        definitions.forEach(registry::registerBeanDefinition);
    }

    private static RootBeanDefinition definition(EtchStoreFactory factory, String name,
            EtchProperties.Store properties, ResolvableType type) {
        Class<?> stateType = properties.getState();
        RootBeanDefinition definition = new RootBeanDefinition(EtchStore.class);
        definition.setTargetType(type);
        definition.setInstanceSupplier(() -> factory.open(name, stateType, properties));
        definition.setDestroyMethodName("close");
        definition.setLazyInit(false);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        return definition;
    }

    private Map<String, EtchProperties.Store> bindStores() {
        try {
            return Binder.get(environment).bind("etch", EtchProperties.class)
                    .map(EtchProperties::getStores).orElse(Map.of());
        } catch (BindException e) {
            ConfigurationPropertyName failed = e.getName();
            // etch.stores.<name>.state: an unknown class is the most common mistake, so it gets
            // its own analysis; every other binding failure is left to Boot's own analyzer,
            // which lists the accepted values of enums such as flush.policy.
            if (failed.getNumberOfElements() == 4 && failed.getLastElement(ConfigurationPropertyName.Form.UNIFORM).equals("state")
                    && failed.getElement(1, ConfigurationPropertyName.Form.UNIFORM).equals("stores")) {
                String store = failed.getElement(2, ConfigurationPropertyName.Form.ORIGINAL);
                Object value = e.getProperty() != null ? e.getProperty().getValue() : null;
                throw new EtchStoreOpenException(store, failed.toString(),
                        "class '" + value + "' cannot be loaded", e);
            }
            throw e;
        }
    }
}
