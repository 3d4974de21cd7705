package dev.etch.spring.autoconfigure.health;

import dev.etch.EtchStore;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.health.EtchHealthIndicator;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code etch} health contributor: a composite with one
 * {@link EtchHealthIndicator} per store, named after the store, even when there is only one
 * (so that {@code /actuator/health/etch/<store>} does not move when a store is added).
 * Disabled by {@code management.health.etch.enabled=false}.
 */
@AutoConfiguration(after = EtchAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(EtchStore.class)
@ConditionalOnEnabledHealthIndicator("etch")
@EnableConfigurationProperties(EtchHealthIndicatorProperties.class)
public final class EtchHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<EtchHealthIndicator, EtchStore<?>> {

    EtchHealthContributorAutoConfiguration(EtchHealthIndicatorProperties properties) {
        super(store -> new EtchHealthIndicator(store, properties.getFreeDiskThreshold()));
    }

    @Bean
    @ConditionalOnMissingBean(name = {"etchHealthIndicator", "etchHealthContributor"})
    HealthContributor etchHealthContributor(Map<String, EtchStore<?>> stores) {
        return createComposite(stores);
    }
}
