package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
    Path dir;

    @Test
    void everyAcknowledgedTransactionSurvivesSigkill() throws Exception {
        Random random = new Random(42);
        Map<String, Long> acknowledged = new HashMap<>();
        long totalAcks = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, Long> acks = runAndKill(round, 50 + random.nextInt(400));
            totalAcks += acks.size();
            acknowledged.putAll(acks);
            try (EtchStore<Ledger> store = EtchStore.open(Ledger.class, dir)) {
                Ledger state = store.read();
                for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                    assertThat(state.entries()).as("round %d: acknowledged %s", round, ack.getKey())
                            .containsEntry(ack.getKey(), ack.getValue());
                }
                Set<String> halfApplied = new HashSet<>(state.entries().keySet());
                halfApplied.removeAll(state.twins().keySet());
                Set<String> twinsOnly = new HashSet<>(state.twins().keySet());
                twinsOnly.removeAll(state.entries().keySet());
                assertThat(halfApplied).as("round %d: entries without their twin", round).isEmpty();
                assertThat(twinsOnly).as("round %d: twins without their entry", round).isEmpty();
                state.entries().forEach((key, value) ->
                        assertThat(state.twins().get(key)).as("twin of %s", key).isEqualTo(-value));
            }
        }
        assertThat(totalAcks).as("the children acknowledged writes before being killed").isGreaterThan(ROUNDS);
    }

    private Map<String, Long> runAndKill(int round, int millisBeforeKill) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Xshare:auto", CrashChild.class.getName(), dir.toString(), String.valueOf(THREADS),
                String.valueOf(round)))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, Long> acks = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertThat(ready).as("child started").isEqualTo("READY");
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millisBeforeKill);
            Thread killer = new Thread(() -> {
                long wait = killAt - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                // SIGKILL through the handle: Process.destroyForcibly would also close our end
                // of the pipe and lose the acknowledgements still in it.
                child.toHandle().destroyForcibly();
            });
            killer.start();
            String line;
            while ((line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("ACK")) {
                    acks.put(parts[1], Long.parseLong(parts[2]));
                }
            }
            killer.join();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return acks;
    }
}
