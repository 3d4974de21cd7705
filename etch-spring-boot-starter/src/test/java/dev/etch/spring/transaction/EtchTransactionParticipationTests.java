package dev.etch.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStore;
import dev.etch.spring.EtchTransactional;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.autoconfigure.EtchTransactionAutoConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a transaction that joins a store's existing transaction may ask for. Users rely on:
 * any isolation level and timeout being accepted when joining (as the README promises, and as
 * with {@code DataSourceTransactionManager}); a read-write participant failing with
 * {@link IllegalTransactionStateException} inside a read-only transaction of the same store;
 * and transactions of other stores on the thread never deciding either.
 */
class EtchTransactionParticipationTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner library() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class,
                        EtchTransactionAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.library.flush.policy=none");
    }

    private ApplicationContextRunner libraryAndArchive() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EtchAutoConfiguration.class,
                        EtchTransactionAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.library.flush.policy=none",
                        "etch.stores.archive.state=" + Library.class.getName(),
                        "etch.stores.archive.directory=" + dir.resolve("archive"),
                        "etch.stores.archive.flush.policy=none")
                .withUserConfiguration(CrossStoreConfig.class);
    }

    /**
     * A participant asking for an isolation level (a {@code TransactionTemplate}, or
     * {@code @Transactional(value = "libraryTransactionManager", isolation = ...)}) joins and
     * its write commits with the outer transaction.
     */
    @Test
    void aParticipantWithAnIsolationLevelJoins() {
        library().run(context -> {
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            PlatformTransactionManager tm = context.getBean("libraryTransactionManager", PlatformTransactionManager.class);
            TransactionTemplate outer = new TransactionTemplate(tm);
            for (int isolation : new int[] {TransactionDefinition.ISOLATION_READ_UNCOMMITTED,
                    TransactionDefinition.ISOLATION_READ_COMMITTED, TransactionDefinition.ISOLATION_REPEATABLE_READ,
                    TransactionDefinition.ISOLATION_SERIALIZABLE}) {
                TransactionTemplate inner = new TransactionTemplate(tm);
                inner.setIsolationLevel(isolation);
                inner.setTimeout(5);
                String isbn = "isbn-" + isolation;
                assertThatCode(() -> outer.executeWithoutResult(s -> inner.executeWithoutResult(
                        s2 -> store.write(lib -> lib.books().put(isbn, new Book("Dune", "Herbert", 1965))))))
                        .as("isolation %s", isolation).doesNotThrowAnyException();
                assertThat(store.read().books()).containsKey(isbn);
            }
            // A new transaction with an isolation level, then a joining one with another.
            TransactionTemplate serializable = new TransactionTemplate(tm);
            serializable.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
            TransactionTemplate readCommitted = new TransactionTemplate(tm);
            readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            serializable.executeWithoutResult(s -> readCommitted.executeWithoutResult(
                    s2 -> store.write(lib -> lib.books().put("isbn-x", new Book("Emma", "Austen", 1815)))));
            assertThat(store.read().books()).containsKey("isbn-x");
        });
    }

    /**
     * Inside a read-only transaction of the store, a read-write participant fails at once with
     * {@link IllegalTransactionStateException}; the read-only transaction is left as it was.
     */
    @Test
    void aReadWriteParticipantInAReadOnlyTransactionOfTheSameStoreFails() {
        library().run(context -> {
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            PlatformTransactionManager tm = context.getBean("libraryTransactionManager", PlatformTransactionManager.class);
            TransactionTemplate readOnly = new TransactionTemplate(tm);
            readOnly.setReadOnly(true);
            TransactionTemplate readWrite = new TransactionTemplate(tm);
            TransactionTemplate readOnlyInner = new TransactionTemplate(tm);
            readOnlyInner.setReadOnly(true);
            readOnly.executeWithoutResult(s -> {
                assertThatThrownBy(() -> readWrite.executeWithoutResult(s2 -> { }))
                        .isInstanceOf(IllegalTransactionStateException.class)
                        .hasMessageContaining("'library'").hasMessageContaining("read-only");
                assertThat(s.isRollbackOnly()).isFalse();
                assertThat(store.read().books()).containsKey("isbn-1");
                assertThatCode(() -> readOnlyInner.executeWithoutResult(s2 -> store.read()))
                        .doesNotThrowAnyException();
            });
            // A read-only participant in a read-write transaction joins it.
            readWrite.executeWithoutResult(s -> readOnlyInner.executeWithoutResult(
                    s2 -> store.write(lib -> lib.books().put("isbn-2", new Book("Emma", "Austen", 1815)))));
            assertThat(store.read().books()).containsKeys("isbn-1", "isbn-2");
        });
    }

    /**
     * Read-write {@code library}, then read-only {@code archive}, then read-write
     * {@code library}: the read-only transaction of another store says nothing about the
     * read-write one of {@code library}, so the inner method joins it.
     */
    @Test
    void aReadOnlyTransactionOfAnotherStoreDoesNotStopJoiningAReadWriteOne() {
        libraryAndArchive().run(context -> {
            LibraryOps lib = context.getBean(LibraryOps.class);
            lib.copyFromArchive();
            assertThat(lib.store().read().books()).containsKeys("isbn-0", "isbn-1");
        });
    }

    /**
     * Read-only {@code library}, then read-write {@code archive}, then read-write
     * {@code library}: the last fails with {@link IllegalTransactionStateException} before it
     * runs (not only at its first write), and nothing of {@code archive} is committed.
     */
    @Test
    void aReadWriteMethodInAReadOnlyTransactionOfItsStoreFailsThroughAnotherStoresTransaction() {
        libraryAndArchive().run(context -> {
            LibraryOps lib = context.getBean(LibraryOps.class);
            ArchiveOps archive = context.getBean(ArchiveOps.class);
            assertThatThrownBy(lib::readLibraryThenWriteThroughArchive)
                    .isInstanceOf(IllegalTransactionStateException.class).hasMessageContaining("'library'");
            assertThat(lib.recorded()).isZero();
            assertThat(lib.store().read().books()).isEmpty();
            assertThat(archive.store().read().books()).isEmpty();
        });
    }

    public static class LibraryOps {
        final EtchStore<Library> library;
        final ObjectProvider<ArchiveOps> archiveOps;
        int recorded;

        LibraryOps(EtchStore<Library> library, ObjectProvider<ArchiveOps> archiveOps) {
            this.library = library;
            this.archiveOps = archiveOps;
        }

        public EtchStore<Library> store() {
            return library;
        }

        public int recorded() {
            return recorded;
        }

        @EtchTransactional("library")
        public void copyFromArchive() {
            library.write(lib -> lib.books().put("isbn-0", new Book("First", "a", 1)));
            archiveOps.getObject().readArchiveAndRecordIntoLibrary();
        }

        @EtchTransactional(store = "library", readOnly = true)
        public void readLibraryThenWriteThroughArchive() {
            archiveOps.getObject().writeArchiveThenRecordIntoLibrary();
        }

        @EtchTransactional("library")
        public void record(String isbn) {
            recorded++;
            library.write(lib -> lib.books().put(isbn, new Book("Copied", "x", 2000)));
        }
    }

    public static class ArchiveOps {
        final EtchStore<Library> archive;
        final ObjectProvider<LibraryOps> libraryOps;

        ArchiveOps(EtchStore<Library> archive, ObjectProvider<LibraryOps> libraryOps) {
            this.archive = archive;
            this.libraryOps = libraryOps;
        }

        public EtchStore<Library> store() {
            return archive;
        }

        @EtchTransactional(store = "archive", readOnly = true)
        public void readArchiveAndRecordIntoLibrary() {
            archive.read().books().size();
            libraryOps.getObject().record("isbn-1");
        }

        @EtchTransactional("archive")
        public void writeArchiveThenRecordIntoLibrary() {
            archive.write(a -> a.books().put("isbn-9", new Book("Archived", "y", 1900)));
            libraryOps.getObject().record("isbn-1");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CrossStoreConfig {
        @Bean
        LibraryOps libraryOps(@Qualifier("library") EtchStore<Library> library, ObjectProvider<ArchiveOps> archiveOps) {
            return new LibraryOps(library, archiveOps);
        }

        @Bean
        ArchiveOps archiveOps(@Qualifier("archive") EtchStore<Library> archive, ObjectProvider<LibraryOps> libraryOps) {
            return new ArchiveOps(archive, libraryOps);
        }
    }
}
