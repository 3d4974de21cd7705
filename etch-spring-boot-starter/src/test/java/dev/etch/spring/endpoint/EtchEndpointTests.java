package dev.etch.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Library;
import dev.etch.spring.SnapshotSupport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtchEndpointTests {

    @TempDir
    Path dir;

    @Test
    void readsEveryStoreAndOneStore() {
        try (EtchStore<Library> library = EtchStore.open(Library.class, dir.resolve("library"));
                EtchStore<Library> scratch = EtchStore.inMemory(Library.class)) {
            library.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
            Map<String, EtchStore<?>> stores = new LinkedHashMap<>();
            stores.put("library", library);
            stores.put("scratch", scratch);
            EtchEndpoint endpoint = new EtchEndpoint(stores);
            assertThat(endpoint.stores().stores()).containsOnlyKeys("library", "scratch");
            EtchEndpoint.StoreDescriptor one = endpoint.store("library");
            assertThat(one.stateType()).isEqualTo(Library.class.getName());
            assertThat(one.directory()).isEqualTo(dir.resolve("library").toAbsolutePath().normalize().toString());
            assertThat(one.stats().commits()).isEqualTo(1);
            assertThat(one.stats().collections()).extracting(c -> c.name()).containsExactly("books", "loans");
            assertThat(one.lastReplay().entriesReplayed()).isZero();
            assertThat(endpoint.store("scratch").directory()).isNull();
            assertThat(endpoint.store("nope")).isNull();
            assertThat(endpoint.snapshot("nope")).isNull();
        }
    }

    @Test
    void snapshotWritesASnapshotNow() {
        try (EtchStore<Library> library = EtchStore.open(Library.class, dir.resolve("library"))) {
            library.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
            EtchEndpoint endpoint = new EtchEndpoint(Map.of("library", library));
            SnapshotSupport.assumeSnapshotsImplemented(library);
            EtchEndpoint.StoreDescriptor after = endpoint.snapshot("library");
            assertThat(after.stats().entriesSinceSnapshot()).isZero();
            assertThat(after.stats().lastSnapshotAt()).isNotNull();
        }
    }
}
