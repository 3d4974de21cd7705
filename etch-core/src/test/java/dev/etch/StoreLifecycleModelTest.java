package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.StoreModelTest.Model;
import dev.etch.wal.DataDirectory;
import dev.etch.wal.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable store's whole life against plain maps: random sequences of commits, rollbacks,
 * snapshots, close and reopen, and simulated process crashes, under every flush policy, with
 * the store's state compared with a {@link HashMap}/{@link TreeMap} model after every step.
 *
 * <p>A crash is simulated without a child process: once {@code write} returned, the
 * directory's files are copied while the store is still open, which is what a process crash at
 * that instant leaves (the page cache survives it), and the copy is opened. Sometimes the copy's
 * last log segment also gets a torn tail, the prefix of an entry that never finished; recovery
 * cuts exactly that off. Sequences that simulate crashes turn automatic snapshots off, so no
 * background snapshot renames files while they are copied; the others snapshot every few
 * entries in the background. The seed of a failure is in its message.
 *
 * <p>The directories live on {@code /dev/shm} where there is one: the test is about what the
 * files say, not about the disk, and tens of thousands of fsyncs on a real disk would take
 * minutes.
 */
class StoreLifecycleModelTest {

    private static final int SEQUENCES = 1_200;
    private static final long FIRST_SEED = 0x11FE_0000L;

    @TempDir
    Path tmp;

    /** How often each kind of step ran, printed at the end so a change that starves one shows. */
    private final Map<String, Integer> counts = new TreeMap<>();

    @Test
    void everyStateOfAStoresLifeMatchesPlainMaps() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "etch-lifecycle-") : tmp;
        try {
            for (int sequence = 0; sequence < SEQUENCES; sequence++) {
                Path base = root.resolve("s" + sequence);
                runSequence(FIRST_SEED + sequence, base);
                deleteRecursively(base);
            }
        } finally {
            deleteRecursively(root);
        }
        System.out.println("Lifecycle steps over " + SEQUENCES + " sequences: " + counts);
        assertThat(counts.getOrDefault("torn crash", 0)).as("torn tails were simulated").isPositive();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void runSequence(long seed, Path base) throws IOException {
        Random random = new Random(seed);
        Map<String, Integer> hash = new HashMap<>();
        TreeMap<Integer, String> tree = new TreeMap<>();
        boolean crashes = random.nextBoolean();
        FlushPolicy policy = switch (random.nextInt(5)) {
            case 0 -> FlushPolicy.immediate();
            case 1, 2 -> FlushPolicy.grouped(Duration.ofMillis(1 + random.nextInt(5)));
            default -> FlushPolicy.none();
        };
        long snapshotEvery = crashes ? 0 : 2 + random.nextInt(10);
        Path dir = base.resolve("0");
        int copies = 0;
        EtchStore<Model> store = open(dir, policy, snapshotEvery);
        try {
            int steps = 10 + random.nextInt(25);
            for (int step = 0; step < steps; step++) {
                String at = "seed " + seed + ", step " + step + " (" + policy + ", snapshotEvery " + snapshotEvery + ")";
                int what = random.nextInt(100);
                if (what < 60) {
                    commit(store, random, hash, tree, false);
                    counts.merge("commit", 1, Integer::sum);
                } else if (what < 70) {
                    commit(store, random, hash, tree, true);
                    counts.merge("rollback", 1, Integer::sum);
                } else if (what < 78) {
                    store.snapshot();
                    counts.merge("snapshot", 1, Integer::sum);
                } else if (what < 88) {
                    store.close();
                    store = open(dir, policy, snapshotEvery);
                    counts.merge("reopen", 1, Integer::sum);
                    assertThat(store.replayReport().lostAnything()).as("%s: reopen after close lost something: %s",
                            at, store.replayReport()).isFalse();
                } else if (crashes) {
                    Path copy = base.resolve(String.valueOf(++copies));
                    int torn = copyAsACrashLeavesIt(dir, copy, random);
                    store.close();
                    dir = copy;
                    store = open(dir, policy, snapshotEvery);
                    counts.merge(torn > 0 ? "torn crash" : "crash", 1, Integer::sum);
                    assertThat(store.replayReport().bytesDiscarded()).as("%s: bytes cut after the crash: %s", at,
                            store.replayReport()).isEqualTo(torn);
                } else {
                    store.writeDurable(state -> {});
                    counts.merge("durable", 1, Integer::sum);
                }
                Model state = store.read();
                assertThat(state.hash()).as(at).isEqualTo(hash);
                assertThat(state.tree()).as(at).isEqualTo(tree);
                assertThat(new ArrayList<>(state.tree().keySet())).as("order, %s", at)
                        .isEqualTo(new ArrayList<>(tree.keySet()));
            }
        } finally {
            store.close();
        }
        try (EtchStore<Model> reopened = open(dir, policy, snapshotEvery)) {
            assertThat(reopened.read().hash()).as("seed %d, final reopen", seed).isEqualTo(hash);
            assertThat(reopened.read().tree()).as("seed %d, final reopen", seed).isEqualTo(tree);
        }
    }

    private static EtchStore<Model> open(Path dir, FlushPolicy policy, long snapshotEvery) {
        return EtchStore.builder(Model.class).directory(dir).flushPolicy(policy).snapshotEvery(snapshotEvery)
                .snapshotLogSize(0).open();
    }

    private static void commit(EtchStore<Model> store, Random random, Map<String, Integer> hash,
            TreeMap<Integer, String> tree, boolean rollback) {
        List<Consumer<Model>> steps = new ArrayList<>();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            steps.add(StoreModelTest.randomStep(random));
        }
        Map<String, Integer> hashAfter = new HashMap<>(hash);
        TreeMap<Integer, String> treeAfter = new TreeMap<>(tree);
        Model plain = new Model(hashAfter, treeAfter);
        steps.forEach(s -> s.accept(plain));
        try {
            store.write(state -> {
                steps.forEach(s -> s.accept(state));
                if (rollback) {
                    throw new RolledBack();
                }
            });
        } catch (RolledBack expected) {
            return;
        }
        hash.clear();
        hash.putAll(hashAfter);
        tree.clear();
        tree.putAll(treeAfter);
    }

    /**
     * Copies a live store's files, as a process crash would leave them, and maybe tears the last
     * log segment's tail.
     *
     * @return how many bytes of torn entry were appended to the copy's last segment
     */
    private static int copyAsACrashLeavesIt(Path from, Path to, Random random) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".lock") || name.equals("LOCK")) {
                    continue;
                }
                Files.copy(file, to.resolve(name));
            }
        }
        SortedMap<Long, Path> segments = new DataDirectory(to).segments();
        Path lastSegment = segments.isEmpty() ? null : segments.get(segments.lastKey());
        if (lastSegment == null || Files.size(lastSegment) < 16 || random.nextBoolean()) {
            return 0;
        }
        // A transaction that was being appended when the process died: its length field says
        // more than made it to the file.
        byte[] torn = new byte[1 + random.nextInt(40)];
        random.nextBytes(torn);
        if (torn.length >= 4) {
            torn[0] = (byte) (torn.length + 10);
            torn[1] = 0;
            torn[2] = 0;
            torn[3] = 0;
        }
        // It lands at the log's end, over the zeros reserved after it (if any); the zeros the
        // torn bytes end with are not told apart from the reserved ones.
        long end = WalReader.scan(lastSegment, (ops, at) -> {}).validEnd();
        try (FileChannel channel = FileChannel.open(lastSegment, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(torn);
            while (bytes.hasRemaining()) {
                channel.write(bytes, end + bytes.position());
            }
        }
        int counted = torn.length;
        while (counted > 0 && torn[counted - 1] == 0) {
            counted--;
        }
        return counted;
    }

    private static final class RolledBack extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
