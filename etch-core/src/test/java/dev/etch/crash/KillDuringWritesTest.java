package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes from several threads and is killed with SIGKILL at a random moment; after
 * reopening, every acknowledged transaction is present and whole, and no transaction is
 * half-applied. Rounds reuse one directory, so each round also replays every earlier crash.
 *
 * <p>Under {@code grouped} and {@code none} a write is acknowledged before it is fsynced, but
 * only after it reached the operating system, so a process that dies keeps it too: the same
 * check holds. {@code -Detch.soak.rounds=N} runs N rounds of each policy instead of the
 * defaults, and {@code -Detch.soak.seed=S} picks other kill moments.
 */
class KillDuringWritesTest {

    private static final int THREADS = 4;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1} rounds by default")
    @CsvSource({"immediate, 25, 0", "grouped, 10, 200", "none, 10, 200"})
    void everyAcknowledgedTransactionSurvivesSigkill(String policy, int defaultRounds, long pauseMicros)
            throws Exception {
        int rounds = Integer.getInteger("etch.soak.rounds", defaultRounds);
        long seed = Long.getLong("etch.soak.seed", 42);
        Path dir = tmp.resolve("store");
        Random random = new Random(seed);
        LedgerModel model = new LedgerModel();
        for (int round = 0; round < rounds; round++) {
            CrashRun run = CrashRun.run(dir, THREADS, String.valueOf(round), policy, 0, pauseMicros, null,
                    50 + random.nextInt(400), tmp.resolve("child.err"));
            assertThat(run.failures()).as("%s, seed %d, round %d: writes that failed", policy, seed, round).isEmpty();
            model.acknowledge(run.acks());
            try (EtchStore<Ledger> store = EtchStore.open(Ledger.class, dir)) {
                model.check(store.read(), policy + ", seed " + seed + ", round " + round);
            }
        }
        assertThat(model.size()).as("the children acknowledged writes before being killed").isGreaterThan(rounds);
    }
}
