package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.engine.CrashPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link CrashPoint} under every flush policy: a child JVM that snapshots every 20
 * entries (so rotations and snapshots happen all the time) writes from three threads and is
 * halted at the {@code n}-th time it reaches the point, or killed with SIGKILL if it never
 * does. The parent reopens the directory and checks it against a {@link LedgerModel} of every
 * acknowledged transaction. Cycles of one point and policy share a directory, so each reopen
 * also recovers from every earlier crash and the parent's own write after it.
 *
 * <p>A process crash keeps the page cache, so under {@code grouped} and {@code none} too every
 * acknowledged write must survive (a power cut is another matter, not tested here).
 *
 * <p>Two combinations run at a time. The default is {@value #DEFAULT_CYCLES} cycles in all; {@code -Detch.soak.cycles=2000}
 * runs a longer soak.
 */
@Execution(ExecutionMode.CONCURRENT)
class CrashPointsTest {

    private static final int DEFAULT_CYCLES = 216;
    private static final List<String> POLICIES = List.of("immediate", "grouped", "none");
    private static final int THREADS = 3;
    private static final long SNAPSHOT_EVERY = 20;
    /** Long enough for every point to be reached many times over; a child killed here did not reach it. */
    private static final long DEADLINE_MILLIS = 1_000;
    /**
     * Under grouped and none, writers would otherwise outrun the snapshots by far; the state would
     * grow to hundreds of thousands of entries and each snapshot take longer than a child lives.
     */
    private static final long PAUSE_MICROS_UNSYNCED = 500;

    /** point/policy to {halted, killed}, for the summary. */
    private static final Map<String, int[]> OUTCOMES = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    static Stream<Arguments> pointsAndPolicies() {
        List<Arguments> all = new ArrayList<>();
        for (CrashPoint point : CrashPoint.values()) {
            for (String policy : POLICIES) {
                all.add(Arguments.of(point, policy));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("pointsAndPolicies")
    void acknowledgedTransactionsSurviveACrashAtThePoint(CrashPoint point, String policy) throws Exception {
        int combinations = CrashPoint.values().length * POLICIES.size();
        int cycles = (Integer.getInteger("etch.soak.cycles", DEFAULT_CYCLES) + combinations - 1) / combinations;
        long seed = (long) point.ordinal() * 31 + POLICIES.indexOf(policy);
        Random random = new Random(seed);
        Path dir = tmp.resolve("store");
        LedgerModel model = new LedgerModel();
        int[] outcome = OUTCOMES.computeIfAbsent(point + " " + policy, k -> new int[2]);
        for (int cycle = 0; cycle < cycles; cycle++) {
            int n = 1 + random.nextInt(maxReach(point, policy));
            String context = String.format("%s:%d under %s, cycle %d (seed %d)", point, n, policy, cycle, seed);
            CrashRun run = CrashRun.run(dir, THREADS, "c" + cycle, policy, SNAPSHOT_EVERY,
                    policy.equals("immediate") ? 0 : PAUSE_MICROS_UNSYNCED, point + ":" + n,
                    DEADLINE_MILLIS, tmp.resolve("child.err"));
            outcome[run.killedByParent() ? 1 : 0]++;
            assertThat(run.failures()).as("%s: writes that failed in the child (stderr in %s)", context,
                    tmp.resolve("child.err")).isEmpty();
            model.acknowledge(run.acks());
            try (EtchStore<Ledger> store = EtchStore.builder(Ledger.class).directory(dir)
                    .flushPolicy(CrashChild.policy(policy)).snapshotEvery(SNAPSHOT_EVERY).open()) {
                model.check(store.read(), context);
                // The recovered store takes writes, and the next cycle recovers them too.
                String key = "c" + cycle + "parent-t0-0";
                store.write(ledger -> {
                    ledger.entries().put(key, 0L);
                    ledger.twins().put(key, -0L);
                });
                model.acknowledge(Map.of(key, 0L));
            }
            assertThat(Files.exists(dir.resolve("snapshot.tmp"))).as("%s: leftover snapshot.tmp", context).isFalse();
        }
        assertThat(model.size()).as("%s under %s: the children acknowledged writes", point, policy)
                .isGreaterThan(cycles);
    }

    /** How often a point is reached in a child's life, roughly: n is drawn up to this. */
    private static int maxReach(CrashPoint point, String policy) {
        return switch (point) {
            case AFTER_APPEND -> 300;
            case AFTER_FSYNC -> policy.equals("none") ? 4 : 60;
            case MID_SNAPSHOT -> 8;
            default -> 4;
        };
    }

    @AfterAll
    static void summary() {
        StringBuilder sb = new StringBuilder("Crash cycles (halted at the point / killed by the parent):");
        new java.util.TreeMap<>(OUTCOMES).forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v[0])
                .append(" / ").append(v[1]));
        System.out.println(sb);
    }
}
