package dev.etch.spring;

import dev.etch.EtchStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The starter in a real web application: health, metrics and the etch endpoint over HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = EtchActuatorHttpTests.App.class, properties = {
        "management.endpoints.web.exposure.include=health,metrics,etch",
        "management.endpoint.health.show-details=always",
        "etch.stores.library.state=dev.etch.spring.Library",
        "etch.stores.library.flush.policy=grouped"})
class EtchActuatorHttpTests {

    static final Path DATA = createDataDirectory();

    @LocalServerPort
    int port;

    @Autowired
    EtchStore<Library> library;

    RestTestClient http;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("etch.stores.library.directory", () -> DATA.resolve("library").toString());
    }

    @BeforeEach
    void client() {
        http = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @AfterAll
    static void deleteData() throws IOException {
        FileSystemUtils.deleteRecursively(DATA);
    }

    @Test
    void requestsCommitThroughEtchTransactional() {
        http.post().uri("/books/isbn-http").exchange().expectStatus().isOk();
        org.assertj.core.api.Assertions.assertThat(library.read().books()).containsKey("isbn-http");
    }

    @Test
    void healthShowsOneComponentPerStore() {
        http.get().uri("/actuator/health/etch").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.library.status").isEqualTo("UP")
                .jsonPath("$.components.library.details.directory").isEqualTo(
                        DATA.resolve("library").toAbsolutePath().normalize().toString())
                .jsonPath("$.components.library.details.logBytes").isNumber()
                .jsonPath("$.components.library.details.entriesSinceSnapshot").isNumber()
                .jsonPath("$.components.library.details.lastSnapshotAt").isNotEmpty()
                .jsonPath("$.components.library.details.freeDiskBytes").isNumber();
    }

    @Test
    void metricsAreTaggedByStore() {
        library.write(lib -> lib.books().put("isbn-metrics", new Library.Book("M", "x", 1)));
        http.get().uri("/actuator/metrics/etch.commits?tag=store:library").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.measurements[0].value").value(Double.class,
                        v -> org.assertj.core.api.Assertions.assertThat(v).isGreaterThanOrEqualTo(1.0));
        http.get().uri("/actuator/metrics/etch.collection.records?tag=store:library&tag=collection:books").exchange()
                .expectStatus().isOk();
        for (String meter : new String[] {"etch.log.size", "etch.log.entries.since.snapshot", "etch.commit.latency",
                "etch.fsync.latency", "etch.fsync.commits", "etch.snapshot.duration", "etch.snapshot.size",
                "etch.flush.errors", "etch.fsyncs"}) {
            http.get().uri("/actuator/metrics/" + meter + "?tag=store:library").exchange().expectStatus().isOk();
        }
    }

    @Test
    void endpointReadsEveryStoreAndOne() {
        http.get().uri("/actuator/etch").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.stores.library.stateType").isEqualTo(Library.class.getName())
                .jsonPath("$.stores.library.stats.commits").isNumber()
                .jsonPath("$.stores.library.stats.collections[0].name").isEqualTo("books")
                .jsonPath("$.stores.library.lastReplay.entriesReplayed").isNumber();
        http.get().uri("/actuator/etch/library").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.stats.logBytes").isNumber();
        http.get().uri("/actuator/etch/nope").exchange().expectStatus().isNotFound();
    }

    @Test
    void endpointWriteOperationTakesASnapshot() {
        library.write(lib -> lib.books().put("isbn-snap", new Library.Book("S", "x", 1)));
        SnapshotSupport.assumeSnapshotsImplemented(library);
        library.write(lib -> lib.books().put("isbn-snap-2", new Library.Book("S", "x", 2)));
        http.post().uri("/actuator/etch/library").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.stats.entriesSinceSnapshot").isEqualTo(0)
                .jsonPath("$.stats.lastSnapshotAt").isNotEmpty();
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("etch-http-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        BookController bookController(EtchStore<Library> library) {
            return new BookController(library);
        }
    }

    @RestController
    static class BookController {
        private final EtchStore<Library> library;

        BookController(EtchStore<Library> library) {
            this.library = library;
        }

        @PostMapping("/books/{isbn}")
        @EtchTransactional
        public String add(@PathVariable String isbn) {
            if (library.read().books().containsKey(isbn)) {
                throw new IllegalStateException("exists");
            }
            library.write(lib -> lib.books().put(isbn, new Library.Book("T", "a", 2026)));
            return isbn;
        }
    }
}
