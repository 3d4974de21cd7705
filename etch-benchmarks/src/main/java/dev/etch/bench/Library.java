package dev.etch.bench;

import dev.etch.EtchCollection;
import java.util.Map;
import java.util.NavigableMap;

/** The benchmark state: an unordered and a sorted collection of books. */
public record Library(
        @EtchCollection(0) Map<String, Book> books,
        @EtchCollection(1) NavigableMap<Long, Book> sorted) {}
