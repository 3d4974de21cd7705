package dev.etch.spring.autoconfigure;

import dev.etch.EtchStore;
import dev.etch.spring.EtchProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Etch stores: one {@code EtchStore<State>} bean per
 * {@code etch.stores.<name>} entry, opened at startup and closed on shutdown after a final
 * flush.
 */
@AutoConfiguration
@EnableConfigurationProperties(EtchProperties.class)
@Import(EtchStoreRegistrar.class)
public final class EtchAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EtchStoresLifecycle etchStoresLifecycle(ObjectProvider<EtchStore<?>> stores) {
        return new EtchStoresLifecycle(stores);
    }
}
