package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes from several threads and is killed with SIGKILL at a random moment; after
 * reopening, every acknowledged transaction is present and whole, and no transaction is
 * half-applied. Rounds reuse one directory, so each round also replays every earlier crash.
 */
class KillDuringWritesTest {

    private static final int ROUNDS = 25;
    private static final int THREADS = 4;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedTransactionSurvivesSigkill() throws Exception {
        Path dir = tmp.resolve("store");
        Random random = new Random(42);
        LedgerModel model = new LedgerModel();
        for (int round = 0; round < ROUNDS; round++) {
            CrashRun run = CrashRun.run(dir, THREADS, String.valueOf(round), "immediate", 0, 0, null,
                    50 + random.nextInt(400), tmp.resolve("child.err"));
            assertThat(run.failures()).as("round %d: writes that failed", round).isEmpty();
            model.acknowledge(run.acks());
            try (EtchStore<Ledger> store = EtchStore.open(Ledger.class, dir)) {
                model.check(store.read(), "round " + round);
            }
        }
        assertThat(model.size()).as("the children acknowledged writes before being killed").isGreaterThan(ROUNDS);
    }
}
