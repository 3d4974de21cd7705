package dev.etch.bench;

/** The benchmark value: a small immutable record of five fields. */
public record Book(String title, String author, int year, long isbn, boolean available) {

    /** A deterministic book for index {@code i}. */
    public static Book of(long i) {
        return new Book("Title " + i, "Author " + (i % 997), 1900 + (int) (i % 125), 9_780_000_000_000L + i, (i & 1) == 0);
    }

    /** The key of index {@code i}: {@code "isbn-000123"}. */
    public static String key(long i) {
        return String.format("isbn-%06d", i);
    }
}
