package dev.etch.spring.autoconfigure.metrics;

import dev.etch.EtchStore;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Etch's Micrometer meters (see {@link dev.etch.spring.metrics.EtchStoreMetrics}),
 * tagged by store, for every store when a {@link MeterRegistry} exists.
 */
@AutoConfiguration(after = EtchAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class})
@ConditionalOnBean({EtchStore.class, MeterRegistry.class})
public final class EtchMetricsAutoConfiguration {

    @Bean
    EtchStoresMeterBinder etchStoresMeterBinder(ListableBeanFactory beanFactory) {
        return new EtchStoresMeterBinder(beanFactory);
    }
}
