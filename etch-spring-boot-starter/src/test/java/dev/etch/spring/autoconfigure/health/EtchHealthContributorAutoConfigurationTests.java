package dev.etch.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.spring.Counters;
import dev.etch.spring.Library;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.health.EtchHealthIndicator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EtchHealthContributorAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class,
                        EtchHealthContributorAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"));
    }

    @Test
    void oneIndicatorPerStoreUnderEtchEvenForASingleStore() {
        runner().run(context -> {
            assertThat(context).hasBean("etchHealthContributor");
            CompositeHealthContributor etch = context.getBean("etchHealthContributor", CompositeHealthContributor.class);
            HealthContributor library = etch.getContributor("library");
            assertThat(library).isInstanceOf(EtchHealthIndicator.class);
            assertThat(((HealthIndicator) library).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void twoStoresTwoIndicators() {
        runner().withPropertyValues("etch.stores.counters.state=" + Counters.class.getName(),
                "etch.stores.counters.directory=" + dir.resolve("counters"))
                .run(context -> {
                    CompositeHealthContributor etch = context.getBean("etchHealthContributor",
                            CompositeHealthContributor.class);
                    assertThat(etch.getContributor("library")).isNotNull();
                    assertThat(etch.getContributor("counters")).isNotNull();
                });
    }

    @Test
    void freeDiskThresholdIsConfigurable() {
        runner().withPropertyValues("management.health.etch.free-disk-threshold=1000000TB").run(context -> {
            CompositeHealthContributor etch = context.getBean("etchHealthContributor", CompositeHealthContributor.class);
            assertThat(((HealthIndicator) etch.getContributor("library")).health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner().withPropertyValues("management.health.etch.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("etchHealthContributor"));
    }

    @Test
    void backsOffWithoutStores() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class,
                        EtchHealthContributorAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("etchHealthContributor"));
    }

    @Test
    void backsOffForAUserContributorNamedEtch() {
        runner().withBean("etchHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("etchHealthContributor"));
    }

    @Test
    void applicationWithoutSpringBootHealthStillStarts() {
        runner().withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> assertThat(context).hasNotFailed().hasBean("library")
                        .doesNotHaveBean("etchHealthContributor"));
    }
}
