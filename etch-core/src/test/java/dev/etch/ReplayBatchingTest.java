package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.Library.Book;
import dev.etch.Library.Loan;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reopening applies the snapshot and the logs in gathered batches: all at once when they fit
 * the recovery's memory bound, in many batches when they do not. Either way the state must
 * be exactly what was committed, whatever mix of rewrites and deletes the log holds.
 */
class ReplayBatchingTest {

    @TempDir
    Path dir;

    @Test
    void reopenGivesTheCommittedStateWithOneBatchOrMany() {
        Map<String, Book> books = new HashMap<>();
        Map<Long, Loan> loans = new TreeMap<>();
        Random rnd = new Random(42);
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir)
                .flushPolicy(FlushPolicy.none()).snapshotEvery(0).snapshotLogSize(0).open()) {
            // 20,000 books in a snapshot, then commits that rewrite, delete and add books
            // (some keys several times in one commit) and loans.
            store.write(lib -> {
                for (int i = 0; i < 20_000; i++) {
                    lib.books().put("isbn-" + i, new Book("t" + i, "a", i));
                }
            });
            for (int i = 0; i < 20_000; i++) {
                books.put("isbn-" + i, new Book("t" + i, "a", i));
            }
            store.snapshot();
            for (int commit = 0; commit < 200; commit++) {
                store.write(lib -> {
                    for (int op = 0; op < 100; op++) {
                        String key = "isbn-" + rnd.nextInt(30_000);
                        int kind = rnd.nextInt(4);
                        if (kind == 0) {
                            lib.books().remove(key);
                            books.remove(key);
                        } else {
                            Book book = new Book("r" + rnd.nextInt(), "b", op);
                            lib.books().put(key, book);
                            books.put(key, book);
                        }
                        long loan = rnd.nextInt(500);
                        if (kind == 1) {
                            lib.loans().remove(loan);
                            loans.remove(loan);
                        } else if (kind == 2) {
                            Loan l = new Loan(key, "m" + op);
                            lib.loans().put(loan, l);
                            loans.put(loan, l);
                        }
                    }
                });
            }
        }

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
            assertThat(store.read().books()).isEqualTo(books);
            assertThat(store.read().loans()).isEqualTo(loans);
        }
        System.setProperty("etch.recovery.applyBytes", "50000");
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).isEqualTo(books);
            assertThat(store.read().loans()).isEqualTo(loans);
            // The store built from many batches goes on like any other.
            store.write(lib -> lib.books().remove("isbn-1"));
            books.remove("isbn-1");
            assertThat(store.read().books()).isEqualTo(books);
        } finally {
            System.clearProperty("etch.recovery.applyBytes");
        }
    }
}
