package dev.etch.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStore;
import dev.etch.spring.Counters;
import dev.etch.spring.EtchTransactional;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.autoconfigure.EtchAutoConfiguration;
import dev.etch.spring.autoconfigure.EtchTransactionAutoConfiguration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSuspensionNotSupportedException;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.interceptor.MethodRollbackEvent;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

class EtchTransactionalTests {

    @TempDir
    Path dir;

    /** The starter's store and transaction auto-configurations, nothing else. */
    private static ApplicationContextRunner autoConfigured() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchTransactionAutoConfiguration.class));
    }

    /** Two stores of one state type, {@code library} and {@code archive}. */
    private ApplicationContextRunner libraryAndArchive() {
        return autoConfigured()
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.archive.state=" + Library.class.getName(),
                        "etch.stores.archive.directory=" + dir.resolve("archive"));
    }

    private ApplicationContextRunner runner() {
        return autoConfigured()
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.library.flush.policy=none")
                .withUserConfiguration(Services.class);
    }

    @Test
    void methodCommitsAsOneTransaction() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            EtchStore<Library> store = loans.store();
            long before = store.stats().commits();
            loans.addTwoBooks();
            assertThat(store.read().books()).containsOnlyKeys("isbn-1", "isbn-2");
            assertThat(store.stats().commits()).isEqualTo(before + 1);
        });
    }

    @Test
    void readsInsideSeeTheMethodsOwnWrites() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThat(loans.writeThenCount()).isEqualTo(1);
        });
    }

    @Test
    void checkThenActWritesNothingWhenTheCheckFails() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.lend("missing", "ana")).isInstanceOf(IllegalArgumentException.class);
            assertThat(loans.store().read().loans()).isEmpty();
            loans.store().write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            assertThat(loans.lend("isbn-1", "ana")).isEqualTo(1);
            assertThat(loans.store().read().loans()).containsEntry(1L, "ana");
        });
    }

    @Test
    void runtimeExceptionRollsBack() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.writeThenThrow(new IllegalStateException("boom")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(loans.store().read().books()).isEmpty();
        });
    }

    @Test
    void errorRollsBack() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.writeThenThrow(new StackOverflowError("deep")))
                    .isInstanceOf(StackOverflowError.class);
            assertThat(loans.store().read().books()).isEmpty();
        });
    }

    @Test
    void checkedExceptionCommits() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.writeThenThrowChecked(new IOException("disk")))
                    .isInstanceOf(IOException.class);
            assertThat(loans.store().read().books()).containsKey("isbn-1");
        });
    }

    @Test
    void rollbackForMakesACheckedExceptionRollBack() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.writeThenThrowCheckedRollingBack(new IOException("disk")))
                    .isInstanceOf(IOException.class);
            assertThat(loans.store().read().books()).isEmpty();
        });
    }

    @Test
    void noRollbackForMakesARuntimeExceptionCommit() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.writeThenThrowCommitting(new IllegalArgumentException("fine")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(loans.store().read().books()).containsKey("isbn-1");
        });
    }

    @Test
    void innerTransactionalMethodJoinsTheOuterOne() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            long before = loans.store().stats().commits();
            loans.outerCallingInner();
            assertThat(loans.store().read().books()).containsOnlyKeys("outer", "inner");
            assertThat(loans.store().stats().commits()).isEqualTo(before + 1);
        });
    }

    @Test
    void failedInnerMethodRollsBackTheOuterOneEvenIfCaught() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(loans::outerCatchingFailedInner).isInstanceOf(UnexpectedRollbackException.class);
            assertThat(loans.store().read().books()).isEmpty();
        });
    }

    @Test
    void unsupportedPropagationFailsClearly() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(() -> loans.outerCalling(Propagation.REQUIRES_NEW))
                    .isInstanceOf(TransactionSuspensionNotSupportedException.class)
                    .hasMessageContaining("'library'").hasMessageContaining("REQUIRES_NEW");
            assertThatThrownBy(() -> loans.outerCalling(Propagation.NOT_SUPPORTED))
                    .isInstanceOf(TransactionSuspensionNotSupportedException.class);
            assertThatThrownBy(() -> loans.outerCalling(Propagation.NESTED))
                    .isInstanceOf(NestedTransactionNotSupportedException.class).hasMessageContaining("savepoints");
            assertThat(loans.store().read().books()).isEmpty();
            // the writer lock was released each time
            loans.store().write(lib -> lib.books().put("after", new Book("t", "a", 1)));
        });
    }

    @Test
    void supportedPropagationsBehaveAsInSpring() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            Propagations p = context.getBean(Propagations.class);
            assertThatThrownBy(p::mandatory).isInstanceOf(IllegalTransactionStateException.class);
            assertThat(p.supports()).isFalse();
            assertThat(p.never()).isFalse();
            assertThat(loans.outerCalling(Propagation.SUPPORTS)).isTrue();
            assertThat(loans.outerCalling(Propagation.MANDATORY)).isTrue();
            assertThatThrownBy(() -> loans.outerCalling(Propagation.NEVER))
                    .isInstanceOf(IllegalTransactionStateException.class);
            // REQUIRES_NEW and NESTED without an outer transaction simply start one
            assertThat(p.requiresNewAlone()).isTrue();
        });
    }

    @Test
    void otherUnsupportedUsesFailClearly() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThatThrownBy(loans::readOnlyCallingWriter).isInstanceOf(IllegalTransactionStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> loans.store().write(lib -> loans.addTwoBooks()))
                    .isInstanceOf(org.springframework.transaction.CannotCreateTransactionException.class)
                    .hasMessageContaining("store.write(...)");
            assertThat(loans.store().read().books()).isEmpty();
            loans.addTwoBooks();
            assertThat(loans.store().read().books()).hasSize(2);
        });
    }

    @Test
    void aTimeoutBoundsTheWaitForTheWriterLock() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            TransactionTemplate withTimeout = new TransactionTemplate(
                    context.getBean("libraryTransactionManager", PlatformTransactionManager.class));
            withTimeout.setTimeout(1);
            withTimeout.executeWithoutResult(status -> loans.addTwoBooks());
            assertThat(loans.store().read().books()).hasSize(2);
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try (dev.etch.EtchTransaction<Library> tx = loans.store().begin()) {
                    held.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    tx.state().books().put("holder", new Book("H", "x", 1));
                    tx.commit();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                long started = System.nanoTime();
                assertThatThrownBy(() -> withTimeout.executeWithoutResult(
                        status -> loans.store().write(lib -> lib.books().put("late", new Book("L", "x", 1)))))
                        .isInstanceOf(org.springframework.transaction.TransactionTimedOutException.class)
                        .hasMessageContaining("library").hasMessageContaining("1 s");
                assertThat(System.nanoTime() - started).as("waited about the timeout")
                        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
                assertThatThrownBy(loans::addBookWithinOneSecond)
                        .isInstanceOf(org.springframework.transaction.TransactionTimedOutException.class);
            } finally {
                release.countDown();
            }
            holder.get(10, TimeUnit.SECONDS);
            assertThat(loans.store().read().books()).containsKey("holder").doesNotContainKey("late")
                    .doesNotContainKey("timely");
            loans.addBookWithinOneSecond();
            assertThat(loans.store().read().books()).containsKey("timely");
            assertThat(context.getBean("libraryTransactionManager", EtchTransactionManager.class).isTransactionActive())
                    .isFalse();
        });
    }

    @Test
    void transactionTemplateRunsOnTheStoresTransactionManager() {
        runner().run(context -> {
            PlatformTransactionManager manager = context.getBean("libraryTransactionManager", PlatformTransactionManager.class);
            @SuppressWarnings("unchecked")
            EtchStore<Library> store = context.getBean("library", EtchStore.class);
            TransactionTemplate template = new TransactionTemplate(manager);
            template.executeWithoutResult(status -> {
                store.write(lib -> lib.books().put("a", new Book("A", "x", 1)));
                store.write(lib -> lib.books().put("b", new Book("B", "x", 2)));
            });
            assertThat(store.read().books()).containsOnlyKeys("a", "b");
            template.executeWithoutResult(status -> {
                store.write(lib -> lib.books().put("c", new Book("C", "x", 3)));
                status.setRollbackOnly();
            });
            assertThat(store.read().books()).doesNotContainKey("c");
        });
    }

    @Test
    void afterCommitRunsOnceTheCommitIsVisibleToOtherThreads() {
        runner().withPropertyValues("etch.stores.library.flush.policy=immediate").run(context -> {
            Loans loans = context.getBean(Loans.class);
            List<Boolean> seenFromAnotherThread = loans.writeAndObserveAfterCommit();
            assertThat(seenFromAnotherThread).containsExactly(true);
            List<Boolean> afterRollback = loans.rollbackAndObserveAfterCommit();
            assertThat(afterRollback).isEmpty();
        });
    }

    @Test
    void readOnlyReadsOneSnapshotWithoutBlockingWriters() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            loans.store().write(lib -> lib.books().put("first", new Book("F", "x", 1)));
            ReadOnlyResult result = loans.readTwiceWhileAnotherThreadWrites();
            assertThat(result.otherThreadWrote()).isTrue();
            assertThat(result.firstSize()).isEqualTo(1);
            assertThat(result.secondSize()).isEqualTo(1);
            assertThat(loans.store().read().books()).hasSize(2);
            assertThatThrownBy(loans::writeInReadOnly).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThat(loans.store().read().books()).hasSize(2);
        });
    }

    @Test
    void eightThreadsCheckThenActWithoutLostUpdates() {
        autoConfigured()
                .withPropertyValues("etch.stores.counters.state=" + Counters.class.getName(),
                        "etch.stores.counters.directory=" + dir.resolve("counters"),
                        "etch.stores.counters.flush.policy=none")
                .withBean(CounterService.class)
                .run(context -> {
                    CounterService service = context.getBean(CounterService.class);
                    ExecutorService pool = Executors.newFixedThreadPool(8);
                    try {
                        List<Future<?>> futures = new ArrayList<>();
                        for (int t = 0; t < 8; t++) {
                            boolean nested = t % 2 == 1;
                            futures.add(pool.submit(() -> {
                                for (int i = 0; i < 200; i++) {
                                    if (nested) {
                                        service.incrementInNestedTemplate("hits");
                                    } else {
                                        service.increment("hits");
                                    }
                                }
                            }));
                        }
                        for (Future<?> future : futures) {
                            future.get(60, TimeUnit.SECONDS);
                        }
                    } finally {
                        pool.shutdownNow();
                    }
                    assertThat(service.store().read().counters()).containsEntry("hits", 1600L);
                });
    }

    @Test
    void worksThroughInterfaceAndClassProxies() {
        runner().withBean(Catalog.class, () -> new DefaultCatalog()).run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            assertThat(AopUtils.isJdkDynamicProxy(catalog)).isTrue();
            assertThat(catalog.addAndCheckInTransaction("isbn-9")).isTrue();
            assertThat(context.getBean(Loans.class).store().read().books()).containsKey("isbn-9");
            Loans loans = context.getBean(Loans.class);
            assertThat(AopUtils.isCglibProxy(loans)).isTrue();
        });
    }

    @Test
    void selfInvocationDoesNotStartATransaction() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThat(loans.callsItselfInternally()).isFalse();
        });
    }

    @Test
    void ambiguousOrUnknownStoreFailsStartup() {
        runner().withPropertyValues("etch.stores.other.state=" + Counters.class.getName(),
                "etch.stores.other.directory=" + dir.resolve("other"))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("names no store").hasMessageContaining("library")
                        .hasMessageContaining("other"));
        autoConfigured()
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library2"))
                .withBean(UnknownStore.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("@EtchTransactional(\"nope\")").hasMessageContaining("[library]"));
    }

    @Test
    void springSeesTheTransactionAsItSeesATransactionalOne() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            String name = Loans.class.getName() + ".transactionAsSpringSeesIt";
            assertThat(loans.transactionAsSpringSeesIt()).containsExactly(true, true, name, false, null);
            assertThat(loans.readOnlyTransactionAsSpringSeesIt())
                    .containsExactly(true, true, Loans.class.getName() + ".readOnlyTransactionAsSpringSeesIt", true,
                            null);
            assertThat(Loans.transactionState()).containsExactly(false, false, null, false, null);
        });
    }

    @Test
    void eachStoreNamedByTheAnnotationGetsItsOwnTransaction() {
        libraryAndArchive()
                .withBean(TwoStores.class)
                .run(context -> {
                    TwoStores service = context.getBean(TwoStores.class);
                    for (int i = 0; i < 3; i++) {
                        assertThat(service.inLibrary()).containsExactly(true, false);
                        assertThat(service.inArchive()).containsExactly(false, true);
                    }
                    assertThatThrownBy(service::archiveThenFail).isInstanceOf(IllegalStateException.class);
                    assertThat(service.archive().read().books()).isEmpty();
                    assertThat(service.library().read().books()).containsOnlyKeys("kept");
                });
    }

    @Test
    void aRollbackPublishesAMethodRollbackEventAsSpringsInterceptorDoes() {
        runner().withBean(RollbackEvents.class).run(context -> {
            Loans loans = context.getBean(Loans.class);
            RollbackEvents events = context.getBean(RollbackEvents.class);
            IllegalStateException failure = new IllegalStateException("roll back");
            assertThatThrownBy(() -> loans.writeThenThrow(failure)).isSameAs(failure);
            assertThatThrownBy(() -> loans.writeThenThrowChecked(new IOException("commits")))
                    .isInstanceOf(IOException.class);
            assertThat(events.seen).hasSize(1);
            MethodRollbackEvent event = events.seen.get(0);
            assertThat(event.getFailure()).isSameAs(failure);
            assertThat(event.getMethod().getName()).isEqualTo("writeThenThrow");
            assertThat(event.getTransaction().isNewTransaction()).isTrue();
        });
    }

    @Test
    void aMethodReturningAFailedFutureRollsBackAsWithTransactional() {
        runner().run(context -> {
            Loans loans = context.getBean(Loans.class);
            assertThat(loans.writeReturningFuture("kept", null)).isCompleted();
            assertThat(loans.writeReturningFuture("lost", new IllegalStateException("failed")))
                    .isCompletedExceptionally();
            assertThat(loans.store().read().books()).containsKey("kept").doesNotContainKey("lost");
        });
    }

    @Test
    void oneInterfaceMethodOnTwoClassesRunsOnEachClassesStore() {
        libraryAndArchive()
                .withBean("shelfInLibrary", Shelf.class, LibraryShelf::new)
                .withBean("shelfInArchive", Shelf.class, ArchiveShelf::new)
                .run(context -> {
                    Shelf library = context.getBean("shelfInLibrary", Shelf.class);
                    Shelf archive = context.getBean("shelfInArchive", Shelf.class);
                    assertThat(AopUtils.isJdkDynamicProxy(library)).isTrue();
                    EtchTransactionManager libraryManager =
                            context.getBean("libraryTransactionManager", EtchTransactionManager.class);
                    EtchTransactionManager archiveManager =
                            context.getBean("archiveTransactionManager", EtchTransactionManager.class);
                    for (int i = 0; i < 3; i++) {
                        assertThat(library.activeIn(libraryManager, archiveManager)).containsExactly(true, false);
                        assertThat(archive.activeIn(libraryManager, archiveManager)).containsExactly(false, true);
                    }
                });
    }

    /** One interface, two implementations whose methods name different stores. */
    public interface Shelf {
        List<Boolean> activeIn(EtchTransactionManager first, EtchTransactionManager second);
    }

    static class LibraryShelf implements Shelf {
        @Override
        @EtchTransactional("library")
        public List<Boolean> activeIn(EtchTransactionManager first, EtchTransactionManager second) {
            return List.of(first.isTransactionActive(), second.isTransactionActive());
        }
    }

    static class ArchiveShelf implements Shelf {
        @Override
        @EtchTransactional("archive")
        public List<Boolean> activeIn(EtchTransactionManager first, EtchTransactionManager second) {
            return List.of(first.isTransactionActive(), second.isTransactionActive());
        }
    }

    /** Collects the rollback events the application publishes. */
    static class RollbackEvents {
        final List<MethodRollbackEvent> seen = new CopyOnWriteArrayList<>();

        @EventListener
        void on(MethodRollbackEvent event) {
            seen.add(event);
        }
    }

    /** Two stores of one type; each method names its store. */
    public static class TwoStores {
        final EtchStore<Library> library;
        final EtchStore<Library> archive;
        final EtchTransactionManager libraryManager;
        final EtchTransactionManager archiveManager;

        TwoStores(@Qualifier("library") EtchStore<Library> library, @Qualifier("archive") EtchStore<Library> archive,
                @Qualifier("libraryTransactionManager") EtchTransactionManager libraryManager,
                @Qualifier("archiveTransactionManager") EtchTransactionManager archiveManager) {
            this.library = library;
            this.archive = archive;
            this.libraryManager = libraryManager;
            this.archiveManager = archiveManager;
        }

        public EtchStore<Library> library() {
            return library;
        }

        public EtchStore<Library> archive() {
            return archive;
        }

        @EtchTransactional("library")
        public List<Boolean> inLibrary() {
            return List.of(libraryManager.isTransactionActive(), archiveManager.isTransactionActive());
        }

        @EtchTransactional("archive")
        public List<Boolean> inArchive() {
            return List.of(libraryManager.isTransactionActive(), archiveManager.isTransactionActive());
        }

        /** Fails inside the archive's transaction after a write to each store. */
        @EtchTransactional("archive")
        public void archiveThenFail() {
            archive.write(a -> a.books().put("lost", new Book("L", "x", 1)));
            library.write(l -> l.books().put("kept", new Book("K", "x", 1)));
            throw new IllegalStateException("fails after both writes");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {
        @Bean
        Loans loans(EtchStore<Library> library) {
            return new Loans(library);
        }

        @Bean
        Propagations propagations() {
            return new Propagations();
        }
    }

    public record ReadOnlyResult(int firstSize, int secondSize, boolean otherThreadWrote) {}

    /** A class-proxied service (no interface), like the README's. */
    public static class Loans {
        final EtchStore<Library> library;

        Loans(EtchStore<Library> library) {
            this.library = library;
        }

        public EtchStore<Library> store() {
            return library;
        }

        /** What {@link TransactionSynchronizationManager} tells code on this thread. */
        static List<Object> transactionState() {
            return java.util.Arrays.asList(TransactionSynchronizationManager.isActualTransactionActive(),
                    TransactionSynchronizationManager.isSynchronizationActive(),
                    TransactionSynchronizationManager.getCurrentTransactionName(),
                    TransactionSynchronizationManager.isCurrentTransactionReadOnly(),
                    TransactionSynchronizationManager.getCurrentTransactionIsolationLevel());
        }

        @EtchTransactional
        public List<Object> transactionAsSpringSeesIt() {
            return transactionState();
        }

        @EtchTransactional(readOnly = true)
        public List<Object> readOnlyTransactionAsSpringSeesIt() {
            return transactionState();
        }

        @EtchTransactional(timeout = 1)
        public void addBookWithinOneSecond() {
            library.write(lib -> lib.books().put("timely", new Book("T", "x", 1)));
        }

        @EtchTransactional
        public void addTwoBooks() {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            library.write(lib -> lib.books().put("isbn-2", new Book("Emma", "Austen", 1815)));
        }

        @EtchTransactional
        public int writeThenCount() {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            return library.read().books().size();
        }

        @EtchTransactional("library")
        public long lend(String isbn, String member) {
            if (!library.read().books().containsKey(isbn)) {
                throw new IllegalArgumentException("unknown book " + isbn);
            }
            return library.writeAndGet(lib -> {
                long next = lib.loans().isEmpty() ? 1 : lib.loans().lastKey() + 1;
                lib.loans().put(next, member);
                return next;
            });
        }

        @EtchTransactional
        public void writeThenThrow(Throwable failure) {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            sneakyThrow(failure);
        }

        /**
         * Writes a book and returns a future completed with {@code failure}, or normally when
         * it is null: Spring rolls back when the returned future has already failed.
         */
        @EtchTransactional
        public CompletableFuture<Void> writeReturningFuture(String isbn, RuntimeException failure) {
            library.write(lib -> lib.books().put(isbn, new Book("F", "a", 1)));
            return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
        }

        @EtchTransactional
        public void writeThenThrowChecked(IOException failure) throws IOException {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            throw failure;
        }

        @EtchTransactional(rollbackFor = IOException.class)
        public void writeThenThrowCheckedRollingBack(IOException failure) throws IOException {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            throw failure;
        }

        @EtchTransactional(noRollbackFor = IllegalArgumentException.class)
        public void writeThenThrowCommitting(RuntimeException failure) {
            library.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            throw failure;
        }

        @EtchTransactional
        public void outerCallingInner() {
            library.write(lib -> lib.books().put("outer", new Book("O", "x", 1)));
            self().inner();
        }

        @EtchTransactional
        public void inner() {
            library.write(lib -> lib.books().put("inner", new Book("I", "x", 2)));
        }

        @EtchTransactional
        public void outerCatchingFailedInner() {
            library.write(lib -> lib.books().put("outer", new Book("O", "x", 1)));
            try {
                self().writeThenThrow(new IllegalStateException("inner failed"));
            } catch (IllegalStateException expected) {
                // swallowed: the transaction is rollback-only anyway
            }
        }

        @EtchTransactional
        public boolean outerCalling(Propagation propagation) {
            library.write(lib -> lib.books().put("outer", new Book("O", "x", 1)));
            Propagations p = context.getBean(Propagations.class);
            boolean inTransaction = switch (propagation) {
                case REQUIRES_NEW -> p.requiresNew();
                case NOT_SUPPORTED -> p.notSupported();
                case NESTED -> p.nested();
                case SUPPORTS -> p.supports();
                case MANDATORY -> p.mandatory();
                case NEVER -> p.never();
                default -> throw new IllegalArgumentException();
            };
            library.write(lib -> lib.books().remove("outer"));
            return inTransaction;
        }

        @EtchTransactional
        public List<Boolean> writeAndObserveAfterCommit() throws Exception {
            List<Boolean> seen = new ArrayList<>();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    seen.add(CompletableFuture.supplyAsync(() -> library.read().books().containsKey("durable")).join());
                }
            });
            library.write(lib -> lib.books().put("durable", new Book("D", "x", 1)));
            return seen;
        }

        @EtchTransactional
        public List<Boolean> rollbackAndObserveAfterCommit() {
            List<Boolean> seen = new ArrayList<>();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    seen.add(true);
                }
            });
            org.springframework.transaction.interceptor.TransactionAspectSupport.currentTransactionStatus()
                    .setRollbackOnly();
            return seen;
        }

        @EtchTransactional(readOnly = true)
        public ReadOnlyResult readTwiceWhileAnotherThreadWrites() throws Exception {
            int first = library.read().books().size();
            boolean wrote = CompletableFuture.supplyAsync(() -> {
                library.write(lib -> lib.books().put("second", new Book("S", "x", 2)));
                return true;
            }).get(10, TimeUnit.SECONDS);
            int second = library.read(lib -> lib.books().size());
            return new ReadOnlyResult(first, second, wrote);
        }

        @EtchTransactional(readOnly = true)
        public void readOnlyCallingWriter() {
            self().addTwoBooks();
        }

        @EtchTransactional(readOnly = true)
        public void writeInReadOnly() {
            library.write(lib -> lib.books().put("never", new Book("N", "x", 0)));
        }

        @EtchTransactional
        public boolean transactionActive() {
            return TransactionSynchronizationManager.isActualTransactionActive();
        }

        public boolean callsItselfInternally() {
            return transactionActive();
        }

        private Loans self() {
            return context.getBean(Loans.class);
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> void sneakyThrow(Throwable failure) throws E {
            throw (E) failure;
        }

        @org.springframework.beans.factory.annotation.Autowired
        org.springframework.context.ApplicationContext context;
    }

    /** Methods with each propagation; each says whether an Etch transaction was active. */
    public static class Propagations {
        private static boolean active() {
            return TransactionSynchronizationManager.isActualTransactionActive();
        }

        @EtchTransactional(propagation = Propagation.REQUIRES_NEW)
        public boolean requiresNew() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.REQUIRES_NEW)
        public boolean requiresNewAlone() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.NOT_SUPPORTED)
        public boolean notSupported() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.NESTED)
        public boolean nested() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.SUPPORTS)
        public boolean supports() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.MANDATORY)
        public boolean mandatory() {
            return active();
        }

        @EtchTransactional(propagation = Propagation.NEVER)
        public boolean never() {
            return active();
        }
    }

    /** Check-then-act on a counter: read, then write the incremented value. */
    public static class CounterService {
        final EtchStore<Counters> counters;
        final TransactionTemplate nested;

        CounterService(EtchStore<Counters> counters, @Qualifier("countersTransactionManager") PlatformTransactionManager manager) {
            this.counters = counters;
            this.nested = new TransactionTemplate(manager);
        }

        public EtchStore<Counters> store() {
            return counters;
        }

        @EtchTransactional
        public void increment(String name) {
            long current = counters.read().counters().getOrDefault(name, 0L);
            Thread.yield();
            counters.write(c -> c.counters().put(name, current + 1));
        }

        /**
         * The same increment in a template that must join this method's transaction through
         * the manager, while other threads' transactions end in an afterCommit that yields:
         * the manager must never lose track of whose transaction is running.
         */
        @EtchTransactional
        public void incrementInNestedTemplate(String name) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Thread.yield();
                }
            });
            nested.executeWithoutResult(status -> increment(name));
        }
    }

    /** An interface-proxied service: the annotation is on the interface. */
    public interface Catalog {
        @EtchTransactional
        boolean addAndCheckInTransaction(String isbn);
    }

    static class DefaultCatalog implements Catalog {
        @org.springframework.beans.factory.annotation.Autowired
        EtchStore<Library> library;

        @Override
        public boolean addAndCheckInTransaction(String isbn) {
            library.write(lib -> lib.books().put(isbn, new Book("T", "a", 1)));
            return TransactionSynchronizationManager.isActualTransactionActive();
        }
    }

    public static class UnknownStore {
        @EtchTransactional("nope")
        public void write() {
        }
    }

    @SuppressWarnings("unused")
    private static void unused(@Qualifier("x") Object o) {
    }
}
