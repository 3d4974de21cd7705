package dev.etch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.transaction.EtchTransactionManager;
import dev.etch.spring.transaction.TransactionAwareEtchStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With several configured stores of one state type, a user bean named after one of them
 * replaces that store only. Users rely on overriding {@code library} (for example with an
 * in-memory store in tests) leaving {@code archive} configured, opened and transactional.
 */
class EtchStoreBackOffByNameTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner libraryAndArchive() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class,
                        EtchTransactionAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.archive.state=" + Library.class.getName(),
                        "etch.stores.archive.directory=" + dir.resolve("archive"));
    }

    @Test
    void overridingOneStoreByNameKeepsTheOtherStoreOfTheSameType() {
        libraryAndArchive().withUserConfiguration(UserStoreNamedLibrary.class).run(context -> {
            assertThat(context).hasNotFailed().hasBean("library").hasBean("archive");
            assertThat(context.getBean("library")).isSameAs(context.getBean(UserStoreNamedLibrary.class).store);
            assertThat(Files.exists(dir.resolve("library"))).as("the configured library is not opened").isFalse();
            @SuppressWarnings("unchecked")
            EtchStore<Library> archive = context.getBean("archive", EtchStore.class);
            assertThat(archive).isInstanceOf(TransactionAwareEtchStore.class);
            assertThat(archive.directory()).contains(dir.resolve("archive"));
            archive.write(a -> a.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            assertThat(archive.read().books()).containsKey("isbn-1");
            assertThat(context).getBean("archiveTransactionManager").isInstanceOf(EtchTransactionManager.class);
            assertThat(context).getBean("libraryTransactionManager").isInstanceOf(EtchTransactionManager.class);
        });
    }

    /** A user store of the same type under a name that is no configured store still replaces both. */
    @Test
    void aUserStoreOfTheSameTypeUnderAnotherNameStillReplacesEveryStoreOfThatType() {
        libraryAndArchive().withUserConfiguration(UserStoreNamedMine.class).run(context -> {
            assertThat(context).hasNotFailed().hasBean("mine").doesNotHaveBean("library").doesNotHaveBean("archive");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStoreNamedLibrary {
        final EtchStore<Library> store = EtchStore.inMemory(Library.class);

        @Bean
        EtchStore<Library> library() {
            return store;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStoreNamedMine {
        @Bean
        EtchStore<Library> mine() {
            return EtchStore.inMemory(Library.class);
        }
    }
}
