package dev.etch.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStore;
import dev.etch.spring.EtchTransactional;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.autoconfigure.EtchTransactionAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@code store.write(...)} lambda that joined a Spring transaction and threw dooms the
 * transaction (the store cannot tell the lambda's partial changes apart). Users rely on
 * Spring knowing it at once, as with a participating JDBC transaction marked rollback-only:
 * {@code currentTransactionStatus().isRollbackOnly()} is true, no {@code beforeCommit} runs
 * for a transaction that can only roll back, {@code afterCompletion(STATUS_ROLLED_BACK)} runs,
 * and the caller gets {@link UnexpectedRollbackException} with nothing committed, also under
 * {@code noRollbackFor} (as the README documents).
 */
class EtchJoinedWriteFailureTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class,
                        EtchTransactionAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.library.flush.policy=none")
                .withUserConfiguration(WriterConfig.class);
    }

    @Test
    void aFailedJoinedWriteIsRollbackOnlyAtOnceAndBeforeCommitDoesNotRun() {
        runner().run(context -> {
            Writer writer = context.getBean(Writer.class);
            assertThatThrownBy(writer::writeThenSwallowAFailedJoinedWrite)
                    .isInstanceOf(UnexpectedRollbackException.class);
            assertThat(writer.rollbackOnlyBefore()).as("before the failed write").isFalse();
            assertThat(writer.rollbackOnlyAfter()).as("after the failed write").isTrue();
            assertThat(writer.events()).containsExactly("afterCompletion:" + TransactionSynchronization.STATUS_ROLLED_BACK);
            assertThat(writer.store().read().books()).isEmpty();
            // The store is free again and the next transaction commits.
            writer.writeOne("isbn-2");
            assertThat(writer.store().read().books()).containsOnlyKeys("isbn-2");
        });
    }

    /**
     * {@code noRollbackFor} cannot commit a transaction whose joined write threw: the caller
     * gets {@link UnexpectedRollbackException} instead of the application exception, and
     * nothing is committed.
     */
    @Test
    void noRollbackForAnExceptionThrownInsideAJoinedWriteStillRollsBack() {
        runner().run(context -> {
            Writer writer = context.getBean(Writer.class);
            assertThatThrownBy(writer::failInsideAJoinedWriteWithNoRollbackFor)
                    .isInstanceOf(UnexpectedRollbackException.class);
            assertThat(writer.events()).containsExactly("afterCompletion:" + TransactionSynchronization.STATUS_ROLLED_BACK);
            assertThat(writer.store().read().books()).isEmpty();
        });
    }

    /** {@code noRollbackFor} still commits when the exception is thrown outside the store's lambdas. */
    @Test
    void noRollbackForAnExceptionThrownOutsideTheWritesCommits() {
        runner().run(context -> {
            Writer writer = context.getBean(Writer.class);
            assertThatThrownBy(writer::failAfterAJoinedWriteWithNoRollbackFor)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.store().read().books()).containsOnlyKeys("isbn-1");
        });
    }

    /** The same for {@code writeAndGet} and {@code writeDurable}, through a {@code TransactionTemplate}. */
    @Test
    void everyJoinedWriteKindMarksTheTransaction() {
        runner().run(context -> {
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            TransactionTemplate template = new TransactionTemplate(
                    context.getBean("libraryTransactionManager", PlatformTransactionManager.class));
            List<Consumer<EtchStore<Library>>> failingWrites = List.of(
                    s -> s.write(lib -> {
                        lib.books().put("isbn-w", new Book("W", "w", 1));
                        throw new IllegalStateException("write");
                    }),
                    s -> s.writeAndGet(lib -> {
                        lib.books().put("isbn-g", new Book("G", "g", 1));
                        throw new IllegalStateException("writeAndGet");
                    }),
                    s -> s.writeDurable(lib -> {
                        lib.books().put("isbn-d", new Book("D", "d", 1));
                        throw new IllegalStateException("writeDurable");
                    }));
            for (Consumer<EtchStore<Library>> failing : failingWrites) {
                boolean[] seen = new boolean[1];
                assertThatThrownBy(() -> template.executeWithoutResult(status -> {
                    store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
                    try {
                        failing.accept(store);
                    } catch (IllegalStateException expected) {
                        // swallowed
                    }
                    seen[0] = status.isRollbackOnly();
                })).isInstanceOf(UnexpectedRollbackException.class);
                assertThat(seen[0]).isTrue();
                assertThat(store.read().books()).isEmpty();
            }
            // A write that fails outside any Spring transaction marks nothing.
            assertThatThrownBy(() -> store.write(lib -> {
                throw new IllegalStateException("alone");
            })).isInstanceOf(IllegalStateException.class);
            template.executeWithoutResult(status -> {
                store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
                assertThat(status.isRollbackOnly()).isFalse();
            });
            assertThat(store.read().books()).containsOnlyKeys("isbn-1");
        });
    }

    public static class Writer {
        final EtchStore<Library> store;
        final List<String> events = new CopyOnWriteArrayList<>();
        boolean rollbackOnlyBefore;
        boolean rollbackOnlyAfter;

        Writer(EtchStore<Library> store) {
            this.store = store;
        }

        // Accessors, not fields: the test holds the bean's proxy.
        public EtchStore<Library> store() {
            return store;
        }

        public List<String> events() {
            return events;
        }

        public boolean rollbackOnlyBefore() {
            return rollbackOnlyBefore;
        }

        public boolean rollbackOnlyAfter() {
            return rollbackOnlyAfter;
        }

        private void recordCallbacks() {
            events.clear();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    events.add("beforeCommit");
                }

                @Override
                public void afterCompletion(int status) {
                    events.add("afterCompletion:" + status);
                }
            });
        }

        @EtchTransactional
        public void writeThenSwallowAFailedJoinedWrite() {
            recordCallbacks();
            store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            rollbackOnlyBefore = TransactionAspectSupport.currentTransactionStatus().isRollbackOnly();
            try {
                store.write(lib -> {
                    throw new IllegalArgumentException("bad");
                });
            } catch (IllegalArgumentException expected) {
                // swallowed
            }
            rollbackOnlyAfter = TransactionAspectSupport.currentTransactionStatus().isRollbackOnly();
        }

        @EtchTransactional
        public void writeOne(String isbn) {
            store.write(lib -> lib.books().put(isbn, new Book("Emma", "Austen", 1815)));
        }

        @EtchTransactional(noRollbackFor = IllegalArgumentException.class)
        public void failInsideAJoinedWriteWithNoRollbackFor() {
            recordCallbacks();
            store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            store.write(lib -> {
                throw new IllegalArgumentException("unknown book");
            });
        }

        @EtchTransactional(noRollbackFor = IllegalArgumentException.class)
        public void failAfterAJoinedWriteWithNoRollbackFor() {
            store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            throw new IllegalArgumentException("after the write");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterConfig {
        @Bean
        Writer writer(EtchStore<Library> library) {
            return new Writer(library);
        }
    }
}
