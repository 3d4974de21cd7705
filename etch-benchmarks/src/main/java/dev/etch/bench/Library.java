package dev.etch.bench;

import dev.etch.EtchCollection;
import dev.etch.EtchStore;
import java.util.Map;
import java.util.NavigableMap;

/** The benchmark state: an unordered and a sorted collection of books. */
public record Library(
        @EtchCollection(0) Map<String, Book> books,
        @EtchCollection(1) NavigableMap<Long, Book> sorted) {

    /**
     * Puts books {@code from} (inclusive) to {@code to} (exclusive), under their
     * {@link Book#key keys}, {@code perTransaction} to a transaction.
     *
     * @param store the store
     * @param from the first index
     * @param to the index after the last
     * @param perTransaction books per transaction, at least one
     */
    public static void writeBooks(EtchStore<Library> store, long from, long to, long perTransaction) {
        for (long start = from; start < to; start += perTransaction) {
            long first = start;
            long end = Math.min(to, start + perTransaction);
            store.write(lib -> {
                for (long i = first; i < end; i++) {
                    lib.books().put(Book.key(i), Book.of(i));
                }
            });
        }
    }
}
