package dev.etch.faults;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.Library;
import dev.etch.Library.Book;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** What the fault tests share: the three flush policies, opening a store, naming books. */
final class TestStores {

    private TestStores() {}

    /** Immediate, grouped and unsynced, for parameterized tests. */
    static Stream<Arguments> policies() {
        return Stream.of(Arguments.of(FlushPolicy.immediate()),
                Arguments.of(FlushPolicy.grouped(Duration.ofMillis(5))), Arguments.of(FlushPolicy.none()));
    }

    static EtchStore<Library> open(java.nio.file.Path dir, FlushPolicy policy) {
        return EtchStore.builder(Library.class).directory(dir).flushPolicy(policy).open();
    }

    static Book book(String key) {
        return new Book("Title " + key, "Author", 2000);
    }

    /** The keys of the books a store shows, sorted. */
    static Set<String> books(EtchStore<Library> store) {
        return new TreeSet<>(store.read().books().keySet());
    }
}
