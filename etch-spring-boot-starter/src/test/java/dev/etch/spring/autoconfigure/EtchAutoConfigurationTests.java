package dev.etch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.spring.Counters;
import dev.etch.spring.EtchStoreCustomizer;
import dev.etch.spring.Library;
import dev.etch.spring.transaction.EtchTransactionManager;
import dev.etch.spring.transaction.TransactionAwareEtchStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;

class EtchAutoConfigurationTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchTransactionAutoConfiguration.class));

    @Test
    void noStoresConfiguredCreatesNoStore() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(EtchStore.class);
            assertThat(context).hasSingleBean(EtchStoresLifecycle.class);
        });
    }

    @Test
    void storeIsABeanOfItsGenericTypeNamedAndQualifiedByStoreName() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"))
                .withUserConfiguration(InjectsByGenericType.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasBean("library");
                    assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(EtchStore.class, Library.class)))
                            .containsExactly("library");
                    assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(EtchStore.class, Counters.class)))
                            .isEmpty();
                    EtchStore<Library> store = context.getBean(InjectsByGenericType.class).library;
                    assertThat(store).isInstanceOf(TransactionAwareEtchStore.class);
                    assertThat(store.stateType()).isEqualTo(Library.class);
                    assertThat(store.directory()).contains(dir.resolve("library"));
                    store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
                    assertThat(Files.exists(dir.resolve("library"))).isTrue();
                    assertThat(context).getBean("libraryTransactionManager").isInstanceOf(EtchTransactionManager.class);
                });
    }

    @Test
    void directoryDefaultsToEtchDataSlashStoreName() {
        runner.withPropertyValues("etch.stores.defaulted.state=" + Counters.class.getName())
                .withBean(EtchStoreCustomizer.class, () -> (name, builder) -> builder.directory(dir.resolve(name)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(EtchStoreFactory.directory("defaulted", new dev.etch.spring.EtchProperties.Store()))
                            .isEqualTo(Path.of("etch-data", "defaulted"));
                });
    }

    @Test
    void storeDataSurvivesAContextRestart() {
        ApplicationContextRunner configured = runner.withPropertyValues(
                "etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"));
        configured.run(context -> {
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
        });
        configured.run(context -> {
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            assertThat(store.read().books()).containsKey("isbn-1");
            assertThat(store.replayReport().entriesReplayed()).isEqualTo(1);
        });
    }

    @Test
    void everyPropertyReachesTheBuilder() {
        List<String> seen = new ArrayList<>();
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"),
                "etch.stores.library.flush.policy=grouped",
                "etch.stores.library.flush.interval=5ms",
                "etch.stores.library.snapshot.every=10",
                "etch.stores.library.snapshot.log-size=1MB",
                "etch.stores.library.strict-recovery=true",
                "etch.stores.library.codec=postcard")
                .withBean(EtchStoreCustomizer.class, () -> (name, builder) -> seen.add(name))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EtchStore<?> store = context.getBean("library", EtchStore.class);
                    assertThat(store.toString()).contains(FlushPolicy.grouped(java.time.Duration.ofMillis(5)).toString());
                    assertThat(seen).containsExactly("library");
                    dev.etch.spring.EtchProperties properties = context.getBean(dev.etch.spring.EtchProperties.class);
                    dev.etch.spring.EtchProperties.Store library = properties.getStores().get("library");
                    assertThat(library.getFlush().getPolicy()).isEqualTo(dev.etch.spring.EtchProperties.Policy.GROUPED);
                    assertThat(library.getSnapshot().getEvery()).isEqualTo(10);
                    assertThat(library.getSnapshot().getLogSize().toBytes()).isEqualTo(1024 * 1024);
                    assertThat(library.isStrictRecovery()).isTrue();
                    assertThat(library.getCodec()).isEqualTo(dev.etch.spring.EtchProperties.Codec.POSTCARD);
                });
    }

    @Test
    void snapshotPropertiesDriveAutomaticSnapshotsAndUnsetLeavesTheStoreDefault() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"),
                "etch.stores.library.flush.policy=none",
                "etch.stores.library.snapshot.every=10")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    EtchStore<Library> store = context.getBean("library", EtchStore.class);
                    for (int i = 0; i < 10; i++) {
                        String key = "isbn-" + i;
                        store.write(lib -> lib.books().put(key, new Library.Book("T", "A", 2000)));
                    }
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while (store.stats().lastSnapshotAt().isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(store.stats().lastSnapshotAt()).as("a snapshot after 10 entries").isPresent();
                    dev.etch.spring.EtchProperties.Store library = context.getBean(dev.etch.spring.EtchProperties.class)
                            .getStores().get("library");
                    assertThat(library.getSnapshot().getLogSize()).as("unset: the store's adaptive default").isNull();
                });
    }

    @Test
    void twoStoresOfDifferentTypesInjectByType() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"),
                "etch.stores.counters.state=" + Counters.class.getName(),
                "etch.stores.counters.directory=" + dir.resolve("counters"))
                .withUserConfiguration(InjectsByGenericType.class, InjectsCounters.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(InjectsByGenericType.class).library.stateType()).isEqualTo(Library.class);
                    assertThat(context.getBean(InjectsCounters.class).counters.stateType()).isEqualTo(Counters.class);
                    assertThat(context).hasBean("libraryTransactionManager").hasBean("countersTransactionManager");
                });
    }

    @Test
    void twoStoresOfTheSameTypeInjectByQualifier() {
        runner.withPropertyValues("etch.stores.north.state=" + Counters.class.getName(),
                "etch.stores.north.directory=" + dir.resolve("north"),
                "etch.stores.south.state=" + Counters.class.getName(),
                "etch.stores.south.directory=" + dir.resolve("south"))
                .withUserConfiguration(InjectsByQualifier.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    InjectsByQualifier bean = context.getBean(InjectsByQualifier.class);
                    assertThat(bean.north).isSameAs(context.getBean("north"));
                    assertThat(bean.south).isSameAs(context.getBean("south"));
                    assertThat(bean.north).isNotSameAs(bean.south);
                });
    }

    @Test
    void backsOffForAUserStoreOfTheSameStateType() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"))
                .withUserConfiguration(UserLibraryStore.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EtchStore.class).hasBean("myLibrary")
                            .doesNotHaveBean("library");
                    assertThat(Files.exists(dir.resolve("library"))).isFalse();
                    assertThat(context).getBean("myLibraryTransactionManager").isInstanceOf(EtchTransactionManager.class);
                });
    }

    @Test
    void backsOffForAUserBeanOfTheStoreName() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"))
                .withBean("library", EtchStore.class, () -> EtchStore.inMemory(Counters.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EtchStore.class);
                    assertThat(context.getBean("library", EtchStore.class).stateType()).isEqualTo(Counters.class);
                    assertThat(Files.exists(dir.resolve("library"))).isFalse();
                });
    }

    @Test
    void doesNotBackOffForAUserStoreOfAnotherStateType() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"))
                .withUserConfiguration(UserCountersStore.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("library").hasBean("myCounters");
                });
    }

    @Test
    void customizersAdjustTheBuilderBeforeOpen() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("ignored"))
                .withBean(EtchStoreCustomizer.class, () -> (name, builder) -> builder.directory(dir.resolve("custom-" + name)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("library", EtchStore.class).directory()).contains(dir.resolve("custom-library"));
                });
    }

    @Test
    void storesCloseWithTheContext() {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"))
                .run(context -> {
                    EtchStore<?> store = context.getBean("library", EtchStore.class);
                    context.close();
                    // the directory lock is released: the store can be opened again
                    try (EtchStore<Library> again = EtchStore.open(Library.class, dir.resolve("library"))) {
                        assertThat(again.read().books()).isEmpty();
                    }
                    org.assertj.core.api.Assertions.assertThatThrownBy(store::read)
                            .isInstanceOf(dev.etch.EtchClosedException.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectsByGenericType {
        final EtchStore<Library> library;

        InjectsByGenericType(EtchStore<Library> library) {
            this.library = library;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectsCounters {
        final EtchStore<Counters> counters;

        InjectsCounters(EtchStore<Counters> counters) {
            this.counters = counters;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectsByQualifier {
        final EtchStore<Counters> north;
        final EtchStore<Counters> south;

        InjectsByQualifier(@Qualifier("north") EtchStore<Counters> north, @Qualifier("south") EtchStore<Counters> south) {
            this.north = north;
            this.south = south;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLibraryStore {
        @Bean(destroyMethod = "close")
        EtchStore<Library> myLibrary() {
            return EtchStore.inMemory(Library.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCountersStore {
        @Bean(destroyMethod = "close")
        EtchStore<Counters> myCounters() {
            return EtchStore.inMemory(Counters.class);
        }
    }
}
