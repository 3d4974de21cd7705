package dev.etch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a state record as a collection of the store and gives it its
 * collection id.
 *
 * <p>The id is written into every log entry and snapshot that touches the collection, so it
 * must never change once data has been written: renaming the component is safe, changing the
 * id is not. Ids are in {@code 0..255} and unique within one state type.
 *
 * <p>The component's declared type decides the kind of collection: {@code Map} gives an
 * unordered collection, {@code SortedMap} or {@code NavigableMap} a collection sorted by key.
 * Opening a store on a state type that breaks any of these rules fails with
 * {@link EtchSchemaException}.
 *
 * <pre>{@code
 * public record Library(
 *         @EtchCollection(0) Map<String, Book> books,
 *         @EtchCollection(1) NavigableMap<Long, Loan> loans) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface EtchCollection {

    /**
     * The collection id, {@code 0..255}, stable for the life of the data.
     *
     * @return the id written into the log for this collection
     */
    int value();
}
