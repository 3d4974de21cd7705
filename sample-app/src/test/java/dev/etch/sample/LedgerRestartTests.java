package dev.etch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * Stopping the service and starting it again on the same directory keeps every account and transfer. The two
 * application contexts are started here rather than by {@code @SpringBootTest}, whose cached context cannot be
 * closed and reopened within a test; each runs on a random port like the {@link LedgerApiTests} one.
 */
class LedgerRestartTests {

    static final Path DATA = temporaryDirectory();

    @AfterAll
    static void deleteData() throws IOException {
        FileSystemUtils.deleteRecursively(DATA);
    }

    @Test
    void aRestartOnTheSameDirectoryKeepsEveryAccountAndTransfer() {
        ConfigurableApplicationContext first = start();
        RestTestClient before = client(first);
        for (String id : new String[] {"alice", "bob", "carol"}) {
            before.post().uri("/accounts").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"id\":\"" + id + "\",\"owner\":\"" + id + "\"}").exchange().expectStatus().isCreated();
        }
        before.post().uri("/accounts/alice/deposits").contentType(MediaType.APPLICATION_JSON)
                .body("{\"amountCents\":1000}").exchange().expectStatus().isOk();
        for (int i = 1; i <= 30; i++) {
            String to = i % 2 == 0 ? "bob" : "carol";
            before.post().uri("/transfers").contentType(MediaType.APPLICATION_JSON)
                    .body("{\"from\":\"alice\",\"to\":\"" + to + "\",\"amountCents\":" + i + "}")
                    .exchange().expectStatus().isCreated();
        }
        String accounts = body(before, "/accounts");
        String aliceTransfers = body(before, "/accounts/alice/transfers?size=100");
        String bobTransfers = body(before, "/accounts/bob/transfers?size=100");
        assertThat(aliceTransfers).contains("\"total\":30");

        first.close(); // flushes and closes the store, releasing the directory

        try (ConfigurableApplicationContext restarted = start()) {
            RestTestClient after = client(restarted);
            assertThat(body(after, "/accounts")).isEqualTo(accounts);
            assertThat(body(after, "/accounts/alice/transfers?size=100")).isEqualTo(aliceTransfers);
            assertThat(body(after, "/accounts/bob/transfers?size=100")).isEqualTo(bobTransfers);
            after.get().uri("/accounts/alice").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.balanceCents").isEqualTo(1000 - (1 + 30) * 30 / 2);
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--etch.stores.ledger.directory=" + DATA.resolve("ledger"));
    }

    private static RestTestClient client(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private static String body(RestTestClient http, String path) {
        byte[] body = http.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("etch-sample-restart");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
