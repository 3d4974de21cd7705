package dev.etch.spring.autoconfigure.endpoint;

import dev.etch.EtchStore;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.endpoint.EtchEndpoint;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link EtchEndpoint}; created only when the endpoint is available
 * (enabled and exposed, for example {@code management.endpoints.web.exposure.include=etch}).
 */
@AutoConfiguration(after = EtchAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
public final class EtchEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    EtchEndpoint etchEndpoint(Map<String, EtchStore<?>> stores) {
        return new EtchEndpoint(stores);
    }
}
