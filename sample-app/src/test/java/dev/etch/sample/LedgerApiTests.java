package dev.etch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;
import org.springframework.util.FileSystemUtils;

/** The whole HTTP API of the ledger, every success and every error, against a real server and store. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LedgerApiTests {

    static final Path DATA = temporaryDirectory();
    static final AtomicInteger IDS = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    EtchStore<Ledger> store;

    RestTestClient http;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("etch.stores.ledger.directory", () -> DATA.resolve("ledger").toString());
    }

    @AfterAll
    static void deleteData() throws IOException {
        FileSystemUtils.deleteRecursively(DATA);
    }

    @BeforeEach
    void client() {
        http = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    // --- accounts

    @Test
    void openingAnAccountReturns201WithItsLocation() {
        String id = newId();
        post("/accounts", "{\"id\":\"" + id + "\",\"owner\":\"Alice\"}")
                .expectStatus().isCreated()
                .expectHeader().location("/accounts/" + id)
                .expectBody().json("{\"id\":\"" + id + "\",\"owner\":\"Alice\",\"balanceCents\":0}");
        http.get().uri("/accounts/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"id\":\"" + id + "\",\"owner\":\"Alice\",\"balanceCents\":0}");
        http.get().uri("/accounts").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + id + "')].owner").isEqualTo("Alice");
    }

    @Test
    void aDuplicateAccountIs409AndChangesNothing() {
        String id = open("Alice");
        Ledger before = store.read();
        post("/accounts", "{\"id\":\"" + id + "\",\"owner\":\"Mallory\"}")
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.title").isEqualTo("Account exists")
                .jsonPath("$.account").isEqualTo(id);
        assertThat(store.read()).isEqualTo(before);
        assertThat(store.read().accounts().get(id).owner()).isEqualTo("Alice");
    }

    @Test
    void anUnknownAccountIs404() {
        problem(http.get().uri("/accounts/nobody").exchange(), 404).jsonPath("$.account").isEqualTo("nobody");
        problem(http.get().uri("/accounts/nobody/transfers").exchange(), 404);
    }

    @Test
    void anAccountNeedsAValidIdAndAnOwner() {
        invalid(post("/accounts", "{\"owner\":\"Alice\"}"), "id");
        invalid(post("/accounts", "{\"id\":\"a b/c\",\"owner\":\"Alice\"}"), "id");
        invalid(post("/accounts", "{\"id\":\"" + newId() + "\"}"), "owner");
        invalid(post("/accounts", "{\"id\":\"" + newId() + "\",\"owner\":\"  \"}"), "owner");
        // A lone surrogate (valid JSON, not text) and a control character are not a name.
        invalid(post("/accounts", "{\"id\":\"" + newId() + "\",\"owner\":\"Al\\ud800\"}"), "owner");
        invalid(post("/accounts", "{\"id\":\"" + newId() + "\",\"owner\":\"Al\\u0000ice\"}"), "owner");
        post("/accounts", "{}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat(fields.toString()).contains("id", "owner"));
    }

    // --- deposits

    @Test
    void aDepositReturnsTheCreditedAccount() {
        String id = open("Bob");
        post("/accounts/" + id + "/deposits", "{\"amountCents\":500}")
                .expectStatus().isOk()
                .expectBody().json("{\"id\":\"" + id + "\",\"owner\":\"Bob\",\"balanceCents\":500}");
        post("/accounts/" + id + "/deposits", "{\"amountCents\":25}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.balanceCents").isEqualTo(525);
        assertThat(store.read().deposits().values()).filteredOn(d -> d.account().equals(id))
                .extracting(Deposit::amountCents).containsExactly(500L, 25L);
    }

    @Test
    void aDepositToAnUnknownAccountIs404AndWritesNothing() {
        Ledger before = store.read();
        problem(post("/accounts/nobody/deposits", "{\"amountCents\":500}"), 404).jsonPath("$.account")
                .isEqualTo("nobody");
        assertThat(store.read()).isEqualTo(before);
    }

    @Test
    void aDepositNeedsAPositiveAmount() {
        String id = open("Bob");
        Ledger before = store.read();
        String path = "/accounts/" + id + "/deposits";
        invalid(post(path, "{\"amountCents\":0}"), "amountCents").jsonPath("$.errors[0].message")
                .isEqualTo("must be greater than 0");
        invalid(post(path, "{\"amountCents\":-5}"), "amountCents");
        invalid(post(path, "{}"), "amountCents").jsonPath("$.errors[0].message").isEqualTo("must not be null");
        invalid(post(path, "{\"amountCents\":100000000001}"), "amountCents");
        invalid(post(path, "{\"amountCents\":\"five\"}"), "amountCents");
        assertThat(store.read()).isEqualTo(before);
    }

    // --- transfers

    @Test
    void aTransferMovesMoneyAndIsRecordedInOneCommit() {
        String alice = funded(500);
        String bob = open("Bob");
        post("/transfers", transfer(alice, bob, 120))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.id").isNumber()
                .jsonPath("$.from").isEqualTo(alice)
                .jsonPath("$.to").isEqualTo(bob)
                .jsonPath("$.amountCents").isEqualTo(120)
                .jsonPath("$.at").isNotEmpty();
        balance(alice, 380);
        balance(bob, 120);
        Transfer stored = store.read().transfers().lastEntry().getValue();
        assertThat(stored).extracting(Transfer::from, Transfer::to, Transfer::amountCents)
                .containsExactly(alice, bob, 120L);
    }

    @Test
    void insufficientFundsIs409AndWritesNothing() {
        String alice = funded(100);
        String bob = open("Bob");
        Ledger before = store.read();
        problem(post("/transfers", transfer(alice, bob, 101)), 409)
                .jsonPath("$.title").isEqualTo("Insufficient funds")
                .jsonPath("$.account").isEqualTo(alice)
                .jsonPath("$.balanceCents").isEqualTo(100)
                .jsonPath("$.amountCents").isEqualTo(101);
        assertThat(store.read()).isEqualTo(before);
        balance(alice, 100);
        balance(bob, 0);
    }

    @Test
    void aTransferWithAnUnknownAccountIs404AndWritesNothing() {
        String alice = funded(100);
        Ledger before = store.read();
        problem(post("/transfers", transfer(alice, "nobody", 10)), 404).jsonPath("$.account").isEqualTo("nobody");
        problem(post("/transfers", transfer("nobody", alice, 10)), 404).jsonPath("$.account").isEqualTo("nobody");
        assertThat(store.read()).isEqualTo(before);
    }

    @Test
    void everyInvalidTransferIs400NamingTheFieldAndWritesNothing() {
        String alice = funded(100);
        String bob = open("Bob");
        Ledger before = store.read();
        invalid(post("/transfers", transfer(alice, bob, 0)), "amountCents");
        invalid(post("/transfers", transfer(alice, bob, -1)), "amountCents");
        invalid(post("/transfers", "{\"to\":\"" + bob + "\",\"amountCents\":1}"), "from");
        invalid(post("/transfers", "{\"from\":\"" + alice + "\",\"amountCents\":1}"), "to");
        invalid(post("/transfers", "{\"from\":\"" + alice + "\",\"to\":\"" + bob + "\"}"), "amountCents");
        invalid(post("/transfers", transfer(alice, alice, 1)), "to")
                .jsonPath("$.errors[0].message").isEqualTo("must differ from 'from'");
        invalid(post("/transfers", "{\"from\":\"" + alice + "\",\"to\":\"" + bob + "\",\"amountCents\":1,"
                + "\"memo\":\"rent\"}"), "memo")
                .jsonPath("$.errors[0].message").isEqualTo("is not a known field");
        invalid(post("/transfers", "{\"from\":\"" + alice + "\",\"to\":\"" + bob + "\",\"amountCents\":\"1x\"}"),
                "amountCents").jsonPath("$.errors[0].message").isEqualTo("must be a number");
        invalid(post("/transfers", "{\"from\":[],\"to\":\"" + bob + "\",\"amountCents\":1}"), "from");
        problem(post("/transfers", "{\"from\":\"" + alice + "\","), 400)
                .jsonPath("$.title").isEqualTo("Malformed JSON")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).startsWith("Malformed JSON at line 1"));
        problem(post("/transfers", "not json"), 400).jsonPath("$.title").isEqualTo("Malformed JSON");
        problem(http.post().uri("/transfers").contentType(MediaType.APPLICATION_JSON).exchange(), 400)
                .jsonPath("$.detail").isEqualTo("The request body is missing");
        assertThat(store.read()).isEqualTo(before);
    }

    @Test
    void anAccountsTransfersArePagedNewestFirst() {
        String alice = funded(1_000);
        String bob = open("Bob");
        String carol = open("Carol");
        for (int amount = 1; amount <= 5; amount++) {
            post("/transfers", transfer(alice, amount % 2 == 0 ? carol : bob, amount)).expectStatus().isCreated();
        }
        post("/transfers", transfer(bob, alice, 1)).expectStatus().isCreated();
        http.get().uri("/accounts/{id}/transfers?page=0&size=4", alice).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.account").isEqualTo(alice)
                .jsonPath("$.total").isEqualTo(6)
                .jsonPath("$.page").isEqualTo(0)
                .jsonPath("$.size").isEqualTo(4)
                .jsonPath("$.transfers.length()").isEqualTo(4)
                .jsonPath("$.transfers[0].from").isEqualTo(bob)
                .jsonPath("$.transfers[1].amountCents").isEqualTo(5)
                .jsonPath("$.transfers[3].amountCents").isEqualTo(3);
        http.get().uri("/accounts/{id}/transfers?page=1&size=4", alice).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.transfers.length()").isEqualTo(2)
                .jsonPath("$.transfers[0].amountCents").isEqualTo(2)
                .jsonPath("$.transfers[1].amountCents").isEqualTo(1);
        http.get().uri("/accounts/{id}/transfers", carol).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(2)
                .jsonPath("$.size").isEqualTo(20)
                .jsonPath("$.transfers[*].amountCents").isEqualTo(List.of(4, 2));
        http.get().uri("/accounts/{id}/transfers?page=9", carol).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.transfers").isEmpty();
    }

    @Test
    void badPagingParametersAre400NamingThem() {
        String alice = open("Alice");
        invalid(http.get().uri("/accounts/{id}/transfers?size=0", alice).exchange(), "size");
        invalid(http.get().uri("/accounts/{id}/transfers?size=101", alice).exchange(), "size");
        invalid(http.get().uri("/accounts/{id}/transfers?page=-1", alice).exchange(), "page");
        invalid(http.get().uri("/accounts/{id}/transfers?page=first", alice).exchange(), "page");
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        problem(http.get().uri("/nothing-here").exchange(), 404);
        problem(http.delete().uri("/accounts").exchange(), 405);
    }

    // --- operations

    @Test
    void actuatorShowsTheStoreHealthMetricsAndEndpoint() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.etch.components.ledger.status").isEqualTo("UP")
                .jsonPath("$.components.etch.components.ledger.details.logBytes").isNumber();
        http.get().uri("/actuator/metrics/etch.commits?tag=store:ledger").exchange().expectStatus().isOk();
        http.get().uri("/actuator/etch/ledger").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.stateType").isEqualTo(Ledger.class.getName());
    }

    // --- helpers

    private ResponseSpec post(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
    }

    private static String transfer(String from, String to, long amountCents) {
        return "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amountCents\":" + amountCents + "}";
    }

    private static String newId() {
        return "acct-" + IDS.incrementAndGet();
    }

    private String open(String owner) {
        String id = newId();
        post("/accounts", "{\"id\":\"" + id + "\",\"owner\":\"" + owner + "\"}").expectStatus().isCreated();
        return id;
    }

    private String funded(long cents) {
        String id = open("Alice");
        post("/accounts/" + id + "/deposits", "{\"amountCents\":" + cents + "}").expectStatus().isOk();
        return id;
    }

    private void balance(String id, long cents) {
        http.get().uri("/accounts/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.balanceCents").isEqualTo(cents);
    }

    private static RestTestClient.BodyContentSpec problem(ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").isNotEmpty();
    }

    /** A 400 problem whose only error names {@code field}, in {@code errors} and in {@code detail}. */
    private static RestTestClient.BodyContentSpec invalid(ResponseSpec response, String field) {
        return problem(response, 400)
                .jsonPath("$.title").isEqualTo("Invalid request")
                .jsonPath("$.errors[0].field").isEqualTo(field)
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("'" + field + "'"));
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("etch-sample-api");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
