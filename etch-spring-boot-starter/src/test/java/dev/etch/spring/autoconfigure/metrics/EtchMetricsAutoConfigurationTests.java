package dev.etch.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Counters;
import dev.etch.spring.EtchStoreCustomizer;
import dev.etch.spring.Library;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EtchMetricsAutoConfigurationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, EtchAutoConfiguration.class,
                        EtchMetricsAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"));
    }

    @Test
    void everyMeterIsTaggedByStoreAndMoves() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EtchStoresMeterBinder.class);
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
            store.write(lib -> lib.books().put("isbn-2", new Library.Book("Emma", "Austen", 1815)));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("etch.commits").tag("store", "library").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("etch.fsyncs").tag("store", "library").functionCounter().count()).isPositive();
            assertThat(registry.get("etch.log.size").tag("store", "library").gauge().value()).isPositive();
            assertThat(registry.get("etch.log.entries.since.snapshot").tag("store", "library").gauge().value())
                    .isEqualTo(2);
            assertThat(registry.get("etch.collection.records").tags("store", "library", "collection", "books")
                    .gauge().value()).isEqualTo(2);
            assertThat(registry.get("etch.collection.records").tags("store", "library", "collection", "loans")
                    .gauge().value()).isZero();
            assertThat(registry.get("etch.commit.latency").tag("store", "library").timer().count()).isEqualTo(2);
            assertThat(registry.get("etch.fsync.latency").tag("store", "library").timer().count()).isPositive();
            assertThat(registry.get("etch.fsync.commits").tag("store", "library").summary().totalAmount())
                    .isEqualTo(2);
            assertThat(registry.get("etch.snapshot.duration").tag("store", "library").timer()).isNotNull();
            assertThat(registry.get("etch.snapshot.size").tag("store", "library").summary()).isNotNull();
            assertThat(registry.get("etch.flush.errors").tag("store", "library").counter().count()).isZero();
        });
    }

    @Test
    void aCustomizerThatDoesNotSetAListenerKeepsTheMetricsListener() {
        runner().withBean(EtchStoreCustomizer.class, () -> (name, builder) -> builder.snapshotEvery(10))
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    EtchStore<Library> store = context.getBean("library", EtchStore.class);
                    store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("etch.commit.latency").tag("store", "library").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void userDeclaredStoresGetTheStatsBasedMeters() {
        runner().withBean("myCounters", EtchStore.class, () -> EtchStore.inMemory(Counters.class))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("etch.commits").tag("store", "myCounters").functionCounter()).isNotNull();
                    assertThat(registry.get("etch.collection.records").tags("store", "myCounters", "collection",
                            "counters").gauge().value()).isZero();
                });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchMetricsAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EtchStoresMeterBinder.class));
    }

    @Test
    void applicationWithoutMicrometerStillStarts() {
        runner().withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().hasBean("library")
                        .doesNotHaveBean(EtchStoresMeterBinder.class));
    }
}
