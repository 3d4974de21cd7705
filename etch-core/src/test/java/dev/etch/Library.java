package dev.etch;

import java.util.Map;
import java.util.NavigableMap;

/** The README's state type, used across the store tests. */
public record Library(
        @EtchCollection(0) Map<String, Book> books,
        @EtchCollection(1) NavigableMap<Long, Loan> loans) {

    /** A book, the value of {@link Library#books()}. */
    public record Book(String title, String author, int year) {}

    /** A loan, the value of {@link Library#loans()}. */
    public record Loan(String isbn, String member) {}
}
