package dev.etch.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.etch.EtchStore;
import dev.etch.spring.EtchTransactional;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.autoconfigure.EtchTransactionAutoConfiguration;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * An application with its own transaction manager (JDBC or JPA, here a mock, deliberately not
 * {@code @Primary}) keeps it for plain {@code @Transactional}; the Etch manager is used only
 * when named.
 */
class EtchTransactionManagerCoexistenceTests {

    @TempDir
    Path dir;

    private final PlatformTransactionManager jdbc = mock(PlatformTransactionManager.class);

    private ApplicationContextRunner runner() {
        given(jdbc.getTransaction(any())).willAnswer(invocation -> new SimpleTransactionStatus(true));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchTransactionAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"))
                .withUserConfiguration(AppWithJdbc.class)
                .withBean("transactionManager", PlatformTransactionManager.class, () -> jdbc);
    }

    @Test
    void plainTransactionalStaysWithTheApplicationsTransactionManager() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TransactionManager.class)).isSameAs(jdbc);
            assertThat(context.getBean(PlatformTransactionManager.class)).isSameAs(jdbc);
            Jdbc service = context.getBean(Jdbc.class);
            assertThat(service.plainTransactionalHoldsNoEtchTransaction()).isTrue();
            verify(jdbc).getTransaction(any());
            verify(jdbc).commit(any());
        });
    }

    @Test
    void etchTransactionalAndNamedTransactionalUseTheEtchManagerOnly() {
        runner().run(context -> {
            Jdbc service = context.getBean(Jdbc.class);
            assertThat(service.etchTransactional()).isTrue();
            assertThat(service.transactionalNamingTheEtchManager()).isTrue();
            verify(jdbc, never()).getTransaction(any());
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class AppWithJdbc {
        @Bean
        Jdbc jdbcService(EtchStore<Library> library,
                @Qualifier("libraryTransactionManager") EtchTransactionManager libraryTransactionManager) {
            return new Jdbc(library, libraryTransactionManager);
        }
    }

    public static class Jdbc {
        private final EtchStore<Library> library;
        private final EtchTransactionManager etchManager;

        Jdbc(EtchStore<Library> library, EtchTransactionManager etchManager) {
            this.library = library;
            this.etchManager = etchManager;
        }

        /** True if no Etch transaction is bound and another thread can write meanwhile. */
        @Transactional
        public boolean plainTransactionalHoldsNoEtchTransaction() throws Exception {
            boolean noEtchResource = !etchManager.isTransactionActive();
            boolean otherThreadWrote = CompletableFuture.supplyAsync(() -> {
                library.write(lib -> lib.books().put("x", new Book("X", "x", 1)));
                return true;
            }).get(10, TimeUnit.SECONDS);
            return noEtchResource && otherThreadWrote;
        }

        @EtchTransactional
        public boolean etchTransactional() {
            return etchManager.isTransactionActive();
        }

        @Transactional("libraryTransactionManager")
        public boolean transactionalNamingTheEtchManager() {
            library.write(lib -> lib.books().put("y", new Book("Y", "y", 2)));
            return etchManager.isTransactionActive();
        }
    }
}
