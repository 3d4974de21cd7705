package dev.etch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.sample.Ledger.AccountTransfer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills the packaged service with SIGKILL while client threads send deposits and transfers over HTTP, then reopens
 * its directory and checks every answer the clients got against what is on disk.
 *
 * <p>Runs in {@code integration-test} (maven-failsafe-plugin), after {@code package} has built the jar that
 * {@code java -jar} users run. Each request carries an amount no other request of its kind has, so an amount on disk
 * names the request that wrote it.
 */
class LedgerCrashIT {

    private static final int KILLS = 6;
    private static final int CLIENTS = 4;
    private static final List<String> ACCOUNTS = List.of("a", "b", "c", "d");
    /** Transfers of this much or more always fail: no balance gets near it. */
    private static final long TOO_MUCH = 1_000_000_000L;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private Process app;
    private String base;

    /** Keyed by amount: what each request was and what the client learned of it. */
    private final Map<Long, Sent> transfers = new ConcurrentHashMap<>();
    private final Map<Long, Sent> deposits = new ConcurrentHashMap<>();
    private final AtomicLong amounts = new AtomicLong();

    enum Outcome { ACKNOWLEDGED, REFUSED, UNKNOWN }

    /** A request a client sent: {@code id} is the transfer id of an acknowledged transfer, else -1. */
    record Sent(String from, String to, long amountCents, Outcome outcome, long id) {}

    @AfterEach
    void killLeftover() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void everyAcknowledgedChangeSurvivesSigkillAndNothingElseAppears() throws Exception {
        Path data = temp.resolve("ledger");
        start(data);
        for (String account : ACCOUNTS) {
            assertThat(post("/accounts", "{\"id\":\"" + account + "\",\"owner\":\"" + account + "\"}").statusCode())
                    .isEqualTo(201);
        }
        int kills = 0;
        while (kills < KILLS) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(() -> drive(stop), "client-" + i);
                client.start();
                clients.add(client);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(300, 2000));
            long acknowledgedBefore = count(transfers, Outcome.ACKNOWLEDGED) + count(deposits, Outcome.ACKNOWLEDGED);
            app.toHandle().destroyForcibly();           // SIGKILL on Unix
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;
            stop.set(true);
            for (Thread client : clients) {
                client.join();
            }
            Ledger onDisk = checkDirectory(data);
            System.out.printf("kill %d: %d acknowledged before it; on disk %d transfers, %d deposits; "
                    + "transfers acknowledged %d, refused %d, outcome unknown %d%n", kills, acknowledgedBefore,
                    onDisk.transfers().size(), onDisk.deposits().size(), count(transfers, Outcome.ACKNOWLEDGED),
                    count(transfers, Outcome.REFUSED), count(transfers, Outcome.UNKNOWN));
            start(data);
            checkServedState(onDisk);
        }
        app.destroyForcibly();
        app.waitFor(30, TimeUnit.SECONDS);

        assertThat(kills).isGreaterThanOrEqualTo(5);
        assertThat(count(transfers, Outcome.ACKNOWLEDGED)).as("acknowledged transfers").isGreaterThan(50);
        assertThat(count(transfers, Outcome.REFUSED)).as("refused transfers").isGreaterThan(5);
        assertThat(count(deposits, Outcome.ACKNOWLEDGED)).as("acknowledged deposits").isGreaterThan(10);
    }

    /** One client: random deposits and transfers until told to stop; every answer is recorded. */
    private void drive(AtomicBoolean stop) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            long amount = amounts.incrementAndGet();
            String from = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            if (random.nextInt(4) == 0) {
                long cents = 10_000 + amount;
                deposits.put(cents, send(from, null, cents, "/accounts/" + from + "/deposits",
                        "{\"amountCents\":" + cents + "}"));
            } else {
                String to = ACCOUNTS.get(Math.floorMod(ACCOUNTS.indexOf(from) + 1 + random.nextInt(3), ACCOUNTS.size()));
                if (random.nextInt(20) == 0) {
                    to = "nobody";                       // 404, nothing written
                }
                long cents = random.nextInt(10) == 0 ? TOO_MUCH + amount : amount; // too much: 409
                transfers.put(cents, send(from, to, cents, "/transfers",
                        "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amountCents\":" + cents + "}"));
            }
        }
    }

    private Sent send(String from, String to, long cents, String path, String body) {
        try {
            HttpResponse<String> response = post(path, body);
            int status = response.statusCode();
            if (status == 200 || status == 201) {
                long id = to == null ? -1 : json.readTree(response.body()).get("id").asLong();
                return new Sent(from, to, cents, Outcome.ACKNOWLEDGED, id);
            }
            if (status == 404 || status == 409) {
                return new Sent(from, to, cents, Outcome.REFUSED, -1);
            }
            // Anything else (a 5xx while shutting down, say) may or may not have been written.
            return new Sent(from, to, cents, Outcome.UNKNOWN, -1);
        } catch (IOException e) {
            return new Sent(from, to, cents, Outcome.UNKNOWN, -1); // in flight when the process died
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(from, to, cents, Outcome.UNKNOWN, -1);
        }
    }

    /** Opens the dead process's directory in this JVM, checks it against every answer, and returns what it holds. */
    private Ledger checkDirectory(Path data) {
        Ledger ledger;
        try (EtchStore<Ledger> store = EtchStore.open(Ledger.class, data)) {
            ledger = store.read();
        }

        Map<Long, Transfer> storedTransfers = ledger.transfers();
        for (Sent sent : transfers.values()) {
            if (sent.outcome() == Outcome.ACKNOWLEDGED) {
                assertThat(storedTransfers.get(sent.id())).as("acknowledged transfer %s", sent).isNotNull()
                        .satisfies(t -> {
                            assertThat(t.from()).isEqualTo(sent.from());
                            assertThat(t.to()).isEqualTo(sent.to());
                            assertThat(t.amountCents()).isEqualTo(sent.amountCents());
                        });
            }
        }
        for (Transfer stored : storedTransfers.values()) {
            Sent sent = transfers.get(stored.amountCents());
            assertThat(sent).as("stored transfer %s was sent", stored).isNotNull();
            assertThat(sent.outcome()).as("stored transfer %s", stored).isNotEqualTo(Outcome.REFUSED);
            assertThat(stored.from()).isEqualTo(sent.from());
            assertThat(stored.to()).isEqualTo(sent.to());
            assertThat(ledger.transfersByAccount()).as("index of transfer %d", stored.id())
                    .containsEntry(new AccountTransfer(stored.from(), stored.id()), stored.id())
                    .containsEntry(new AccountTransfer(stored.to(), stored.id()), stored.id());
        }
        assertThat(ledger.transfersByAccount()).hasSize(2 * storedTransfers.size());

        Map<Long, Deposit> storedDeposits = ledger.deposits().values().stream()
                .collect(Collectors.toMap(Deposit::amountCents, d -> d));
        assertThat(storedDeposits).as("deposits with one amount").hasSize(ledger.deposits().size());
        for (Sent sent : deposits.values()) {
            if (sent.outcome() == Outcome.ACKNOWLEDGED) {
                assertThat(storedDeposits.get(sent.amountCents())).as("acknowledged deposit %s", sent).isNotNull()
                        .extracting(Deposit::account).isEqualTo(sent.from());
            }
        }
        for (Deposit stored : storedDeposits.values()) {
            Sent sent = deposits.get(stored.amountCents());
            assertThat(sent).as("stored deposit %s was sent", stored).isNotNull();
            assertThat(sent.outcome()).as("stored deposit %s", stored).isNotEqualTo(Outcome.REFUSED);
            assertThat(stored.account()).isEqualTo(sent.from());
        }

        // No half-applied transfer or deposit: each balance is exactly what the stored records add up to.
        Map<String, Long> expected = new HashMap<>();
        ACCOUNTS.forEach(a -> expected.put(a, 0L));
        storedDeposits.values().forEach(d -> expected.merge(d.account(), d.amountCents(), Long::sum));
        storedTransfers.values().forEach(t -> {
            expected.merge(t.from(), -t.amountCents(), Long::sum);
            expected.merge(t.to(), t.amountCents(), Long::sum);
        });
        Map<String, Long> balances = ledger.accounts().values().stream()
                .collect(Collectors.toMap(Account::id, Account::balanceCents));
        assertThat(balances).isEqualTo(expected);
        assertThat(balances.values()).allSatisfy(b -> assertThat(b).isNotNegative());
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum())
                .as("sum of balances = sum of deposits")
                .isEqualTo(storedDeposits.values().stream().mapToLong(Deposit::amountCents).sum());
        return ledger;
    }

    /** The restarted service serves what the directory held. */
    private void checkServedState(Ledger onDisk) throws Exception {
        JsonNode accounts = json.readTree(get("/accounts").body());
        Map<String, Long> served = new HashMap<>();
        accounts.forEach(a -> served.put(a.get("id").asString(), a.get("balanceCents").asLong()));
        assertThat(served).isEqualTo(onDisk.accounts().values().stream()
                .collect(Collectors.toMap(Account::id, Account::balanceCents)));
        for (String account : ACCOUNTS) {
            JsonNode page = json.readTree(get("/accounts/" + account + "/transfers?size=1").body());
            long total = onDisk.transfersByAccount().keySet().stream().filter(k -> k.account().equals(account)).count();
            assertThat(page.get("total").asLong()).isEqualTo(total);
            if (total > 0) {
                long newest = onDisk.transfersByAccount().keySet().stream().filter(k -> k.account().equals(account))
                        .mapToLong(AccountTransfer::transferId).max().orElseThrow();
                assertThat(page.get("transfers").get(0).get("id").asLong()).isEqualTo(newest);
            }
        }
    }

    private void start(Path data) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged application; run through `./mvnw verify`").isRegularFile();
        Path log = temp.resolve("app.log");
        app = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--etch.stores.ledger.directory=" + data,
                "--etch.stores.ledger.snapshot.every=100",   // several snapshots per run, so kills hit them too
                "--spring.jmx.enabled=false")
                .directory(temp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        base = "http://localhost:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the application exited; its log:%n%s", Files.readString(log)).isTrue();
            try {
                if (get("/actuator/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not started within 90 s; its log:\n" + Files.readString(log));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(Map<Long, Sent> sent, Outcome outcome) {
        return sent.values().stream().filter(s -> s.outcome() == outcome).count();
    }
}
