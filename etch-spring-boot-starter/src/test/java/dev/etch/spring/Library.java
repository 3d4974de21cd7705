package dev.etch.spring;

import dev.etch.EtchCollection;
import java.util.Map;
import java.util.NavigableMap;

/** The README's state type: books by ISBN, loans by id. */
public record Library(
        @EtchCollection(0) Map<String, Book> books,
        @EtchCollection(1) NavigableMap<Long, String> loans) {

    /** A book. */
    public record Book(String title, String author, int year) {}
}
