package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.Library.Book;
import dev.etch.Library.Loan;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user relies on from write, writeAndGet, read, nesting, rollback and close. */
class TransactionSemanticsTest {

    private static final Book DUNE = new Book("Dune", "Herbert", 1965);
    private static final Book EMMA = new Book("Emma", "Austen", 1815);

    private EtchStore<Library> store;

    @BeforeEach
    void open() {
        store = EtchStore.inMemory(Library.class);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aWriteIsVisibleToLaterReads() {
        store.write(lib -> lib.books().put("isbn-1", DUNE));

        assertThat(store.read().books()).containsExactly(Map.entry("isbn-1", DUNE));
        Book read = store.read(lib -> lib.books().get("isbn-1"));
        assertThat(read).isEqualTo(DUNE);
        assertThat(store.stats().commits()).isEqualTo(1);
        assertThat(store.stats().collections()).extracting(EtchStats.CollectionStats::size).containsExactly(1, 0);
    }

    @Test
    void aMapKeptPastItsTransactionRefusesChangesInsteadOfLosingThem() {
        AtomicReference<Map<String, Book>> kept = new AtomicReference<>();
        AtomicReference<NavigableMap<Long, Loan>> keptLoans = new AtomicReference<>();
        store.write(lib -> {
            lib.books().put("isbn-1", DUNE);
            kept.set(lib.books());
            keptLoans.set(lib.loans());
        });
        assertThatThrownBy(() -> kept.get().put("isbn-2", EMMA)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction that has ended").hasMessageContaining("store.write(");
        assertThatThrownBy(() -> kept.get().remove("isbn-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kept.get().clear()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> keptLoans.get().put(1L, new Loan("isbn-1", "ana")))
                .isInstanceOf(IllegalStateException.class);
        EtchTransaction<Library> rolledBack = store.begin();
        Map<String, Book> afterRollback = rolledBack.state().books();
        rolledBack.rollback();
        assertThatThrownBy(() -> afterRollback.put("isbn-3", EMMA)).isInstanceOf(IllegalStateException.class);
        assertThat(store.read().books()).containsExactly(Map.entry("isbn-1", DUNE));
        assertThat(store.read().loans()).isEmpty();
    }

    @Test
    void aTransactionsMapsRefuseChangesFromAnotherThread() throws Exception {
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        store.write(lib -> {
            Thread other = new Thread(() -> {
                try {
                    lib.books().put("isbn-2", EMMA);
                } catch (Throwable t) {
                    fromOtherThread.set(t);
                }
            }, "helper");
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            lib.books().put("isbn-1", DUNE);
        });
        assertThat(fromOtherThread.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed from helper");
        assertThat(store.read().books()).containsExactly(Map.entry("isbn-1", DUNE));
    }

    @Test
    void writeAndGetSeesItsOwnWritesAndReturnsItsResult() {
        long first = store.writeAndGet(lib -> nextLoan(lib, "isbn-1"));
        long second = store.writeAndGet(lib -> {
            long id = nextLoan(lib, "isbn-2");
            assertThat(lib.loans()).containsKey(id).hasSize(2);
            return id;
        });

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(store.read().loans().lastEntry().getValue()).isEqualTo(new Loan("isbn-2", "ana"));
    }

    private static long nextLoan(Library lib, String isbn) {
        long next = lib.loans().isEmpty() ? 1 : lib.loans().lastKey() + 1;
        lib.loans().put(next, new Loan(isbn, "ana"));
        return next;
    }

    @Test
    void anExceptionDiscardsEveryChangeAndReachesTheCallerUnchanged() {
        store.write(lib -> lib.books().put("keep", DUNE));
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> store.write(lib -> {
            lib.books().put("isbn-2", EMMA);
            lib.books().remove("keep");
            lib.loans().put(1L, new Loan("isbn-2", "bo"));
            throw boom;
        })).isSameAs(boom);

        assertThat(store.read().books()).containsOnlyKeys("keep");
        assertThat(store.read().loans()).isEmpty();
        assertThat(store.stats().commits()).isEqualTo(1);
    }

    @Test
    void aCheckedExceptionThrownSneakilyAlsoRollsBack() {
        assertThatThrownBy(() -> store.write(lib -> {
            lib.books().put("x", DUNE);
            throw new AssertionError("error, not exception");
        })).isInstanceOf(AssertionError.class);
        assertThat(store.read().books()).isEmpty();
    }

    @Test
    void snapshotsAreImmutable() {
        store.write(lib -> lib.books().put("isbn-1", DUNE));
        Library snapshot = store.read();

        assertThatThrownBy(() -> snapshot.books().put("x", EMMA)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.books().remove("isbn-1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.books().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.loans().put(1L, new Loan("a", "b")))
                .isInstanceOf(UnsupportedOperationException.class);
        Iterator<String> keys = snapshot.books().keySet().iterator();
        keys.next();
        assertThatThrownBy(keys::remove).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aSnapshotKeptByAReaderNeverChanges() {
        store.write(lib -> lib.books().put("isbn-1", DUNE));
        Library old = store.read();

        store.write(lib -> {
            lib.books().put("isbn-2", EMMA);
            lib.books().remove("isbn-1");
        });

        assertThat(old.books()).containsExactly(Map.entry("isbn-1", DUNE));
        assertThat(store.read().books()).containsExactly(Map.entry("isbn-2", EMMA));
    }

    @Test
    void aNestedWriteJoinsTheOuterTransaction() {
        assertThatThrownBy(() -> store.write(outer -> {
            outer.books().put("a", DUNE);
            store.write(inner -> {
                assertThat(inner.books()).containsKey("a");
                inner.books().put("b", EMMA);
            });
            long id = store.writeAndGet(inner -> nextLoan(inner, "b"));
            assertThat(outer.books()).containsKeys("a", "b");
            assertThat(outer.loans()).containsKey(id);
            assertThat(store.stats().commits()).as("nothing committed yet").isZero();
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(store.read().books()).isEmpty();

        store.write(outer -> {
            outer.books().put("a", DUNE);
            store.write(inner -> inner.books().put("b", EMMA));
        });
        assertThat(store.read().books()).containsOnlyKeys("a", "b");
        assertThat(store.stats().commits()).as("one commit for the outer and the joined write").isEqualTo(1);
    }

    @Test
    void aFailedNestedWriteRollsBackTheWholeTransactionEvenIfCaught() {
        IllegalArgumentException inner = new IllegalArgumentException("inner fails");
        assertThatThrownBy(() -> store.write(outer -> {
            outer.books().put("a", DUNE);
            try {
                store.write(nested -> {
                    nested.books().put("half", EMMA);
                    throw inner;
                });
            } catch (IllegalArgumentException caught) {
                // swallowed by the outer code
            }
        })).isInstanceOf(EtchException.class)
                .hasMessageContaining("nested in this transaction failed")
                .hasCause(inner);
        assertThat(store.read().books()).isEmpty();
        assertThat(store.stats().commits()).isZero();
    }

    /** What a framework that began the transaction checks before it tries to commit. */
    @Test
    void aBegunTransactionReportsRollbackOnlyFromTheFailedJoinedWriteOn() {
        EtchTransaction<Library> tx = store.begin();
        tx.state().books().put("a", DUNE);
        assertThat(tx.isRollbackOnly()).isFalse();
        assertThatThrownBy(() -> store.write(nested -> {
            throw new IllegalArgumentException("inner fails");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(tx.isRollbackOnly()).isTrue();
        assertThatThrownBy(tx::commit).isInstanceOf(EtchException.class)
                .hasMessageContaining("nested in this transaction failed");
        assertThat(tx.isRollbackOnly()).as("ended").isFalse();
        assertThat(store.read().books()).isEmpty();
    }

    @Test
    void aReadInsideATransactionSeesItsUncommittedWrites() {
        store.write(lib -> {
            lib.books().put("a", DUNE);
            Library seen = store.read();
            assertThat(seen.books()).containsKey("a");
            assertThatThrownBy(() -> seen.books().put("b", EMMA)).isInstanceOf(UnsupportedOperationException.class);
            int size = store.read(l -> l.books().size());
            assertThat(size).isEqualTo(1);
        });
    }

    @Test
    void otherThreadsDoNotSeeATransactionBeforeItCommits() throws Exception {
        CountDownLatch checked = new CountDownLatch(1);
        CompletableFuture<Void> writer = writeAndHold("a", DUNE, checked);

        assertThat(store.read().books()).as("reader is not blocked and sees nothing uncommitted").isEmpty();
        checked.countDown();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(store.read().books()).containsKey("a");
    }

    @Test
    void writesAreSerialized() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = writeAndHold("n", new Book("0", "x", 0), release);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> store.writeAndGet(lib -> {
            Book seen = lib.books().get("n");
            lib.books().put("n", new Book(String.valueOf(Integer.parseInt(seen.title()) + 1), "x", 0));
            return Integer.parseInt(seen.title());
        }));
        Thread.sleep(50);
        assertThat(second).as("the second writer waits for the first").isNotDone();
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the second writer saw the first's commit").isZero();
        assertThat(store.read().books().get("n").title()).isEqualTo("1");
    }

    @Test
    void anEmptyTransactionCommitsNothing() {
        store.write(lib -> lib.books().get("nothing"));
        assertThat(store.stats().commits()).isZero();
    }

    @Test
    void nullKeysAndValuesAreRejectedAndDiscardTheTransaction() {
        assertThatThrownBy(() -> store.write(lib -> lib.books().put("a", null)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.write(lib -> lib.books().put(null, DUNE)))
                .isInstanceOf(NullPointerException.class);
        assertThat(store.read().books()).isEmpty();
    }

    @Test
    void aValueTheCodecCannotWriteFailsThePutAndDiscardsTheTransaction() {
        ValueCodec failing = new ValueCodec() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public <V> Binding<V> bind(java.lang.reflect.AnnotatedType valueType) {
                ValueCodec.Binding<V> real = ValueCodec.jackson().bind(valueType);
                return new Binding<>() {
                    @Override
                    public byte[] encode(V value) {
                        if (value instanceof Book b && b.year() < 0) {
                            throw new IllegalArgumentException("negative year");
                        }
                        return real.encode(value);
                    }

                    @Override
                    public V decode(byte[] bytes, int offset, int length) {
                        return real.decode(bytes, offset, length);
                    }
                };
            }
        };
        try (EtchStore<Library> strict = EtchStore.builder(Library.class).valueCodec(failing).open()) {
            AtomicReference<Map<String, Book>> viewAfterFailure = new AtomicReference<>();
            assertThatThrownBy(() -> strict.write(lib -> {
                lib.books().put("ok", DUNE);
                try {
                    lib.books().put("bad", new Book("x", "y", -1));
                } finally {
                    viewAfterFailure.set(Map.copyOf(lib.books()));
                }
            })).isInstanceOf(EtchCodecException.class)
                    .hasMessageContaining("key bad")
                    .hasMessageContaining("Library.books (collection 0)")
                    .hasMessageContaining("negative year")
                    .hasRootCauseMessage("negative year");
            assertThat(viewAfterFailure.get()).as("the failed put changed nothing").containsOnlyKeys("ok");
            assertThat(strict.read().books()).as("the whole transaction was discarded").isEmpty();
        }
    }

    @Test
    void beginCommitAndRollback() {
        try (EtchTransaction<Library> tx = store.begin()) {
            tx.state().books().put("a", DUNE);
            assertThat(store.read().books()).as("reads on the owning thread see the transaction").containsKey("a");
            store.write(lib -> lib.books().put("b", EMMA));
            tx.commit();
            assertThat(tx.isActive()).isFalse();
        }
        assertThat(store.read().books()).containsOnlyKeys("a", "b");

        try (EtchTransaction<Library> tx = store.begin()) {
            tx.state().books().clear();
        }
        assertThat(store.read().books()).as("closing without commit rolls back").containsOnlyKeys("a", "b");

        EtchTransaction<Library> tx = store.begin();
        tx.rollback();
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
        store.write(lib -> lib.books().remove("a"));
        assertThat(store.read().books()).containsOnlyKeys("b");
    }

    @Test
    void aTransactionBelongsToItsThread() throws Exception {
        try (EtchTransaction<Library> tx = store.begin()) {
            CompletableFuture<Void> other = CompletableFuture.runAsync(tx::commit);
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to the thread that began it");
            assertThatThrownBy(store::begin).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already inside a transaction");
        }
    }

    @Test
    void beginWithAMaximumWaitGivesUpWhileAnotherTransactionHoldsTheWriterLock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = writeAndHold("holder", DUNE, release);
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.begin(Duration.ofMillis(200))).isInstanceOf(EtchTimeoutException.class)
                    .hasMessageContaining("PT0.2S").hasMessageContaining("no transaction was started");
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
            assertThatThrownBy(() -> store.begin(Duration.ZERO)).isInstanceOf(EtchTimeoutException.class);
        } finally {
            release.countDown();
        }
        holder.get(10, TimeUnit.SECONDS);
        try (EtchTransaction<Library> tx = store.begin(Duration.ofSeconds(10))) {
            assertThat(tx.state().books()).containsKey("holder");
            tx.state().books().put("next", EMMA);
            assertThatThrownBy(() -> store.begin(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already inside a transaction");
            tx.commit();
        }
        assertThat(store.read().books()).containsOnlyKeys("holder", "next");
        assertThatThrownBy(() -> store.begin(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        try (EtchTransaction<Library> tx = store.begin(Duration.ofSeconds(Long.MAX_VALUE))) {
            assertThat(tx.isActive()).as("a wait too long to count in nanoseconds is just long").isTrue();
        }
        store.close();
        assertThatThrownBy(() -> store.begin(Duration.ZERO)).isInstanceOf(EtchClosedException.class);
    }

    @Test
    void aClosedStoreRefusesEverything() {
        store.write(lib -> lib.books().put("a", DUNE));
        store.close();
        store.close();

        assertThatThrownBy(store::read).isInstanceOf(EtchClosedException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.write(lib -> lib.books().clear())).isInstanceOf(EtchClosedException.class);
        assertThatThrownBy(() -> store.writeAndGet(lib -> 1)).isInstanceOf(EtchClosedException.class);
        assertThatThrownBy(store::begin).isInstanceOf(EtchClosedException.class);
        assertThatThrownBy(store::flush).isInstanceOf(EtchClosedException.class);
    }

    /**
     * Starts a write on another thread that puts one book and then stays inside its
     * transaction, holding the writer lock, until {@code release}; returns once it is there.
     */
    private CompletableFuture<Void> writeAndHold(String key, Book book, CountDownLatch release) {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> store.write(lib -> {
            lib.books().put(key, book);
            inside.countDown();
            await(release);
        }));
        await(inside);
        return writer;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
