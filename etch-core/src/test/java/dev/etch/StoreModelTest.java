package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The committed state after any sequence of transactions equals what the same operations do
 * to plain {@link HashMap}/{@link TreeMap} models, with rolled-back transactions leaving no
 * trace. Thousands of random sequences; the seed of a failure is in the assertion message.
 */
class StoreModelTest {

    /** One unordered and one sorted collection, small key spaces so keys collide often. */
    public record Model(
            @EtchCollection(0) Map<String, Integer> hash,
            @EtchCollection(1) NavigableMap<Integer, String> tree) {}

    private static final int SEQUENCES = 2_000;

    @Test
    void committedStateMatchesPlainMaps() {
        for (int sequence = 0; sequence < SEQUENCES; sequence++) {
            long seed = 0x5EED_0000L + sequence;
            runSequence(seed);
        }
    }

    private void runSequence(long seed) {
        Random random = new Random(seed);
        Map<String, Integer> hashModel = new HashMap<>();
        TreeMap<Integer, String> treeModel = new TreeMap<>();
        try (EtchStore<Model> store = EtchStore.inMemory(Model.class)) {
            int transactions = 1 + random.nextInt(12);
            for (int t = 0; t < transactions; t++) {
                boolean rollback = random.nextInt(5) == 0;
                List<Consumer<Model>> steps = new ArrayList<>();
                int operations = 1 + random.nextInt(10);
                for (int o = 0; o < operations; o++) {
                    steps.add(randomStep(random));
                }
                Map<String, Integer> hashAfter = new HashMap<>(hashModel);
                TreeMap<Integer, String> treeAfter = new TreeMap<>(treeModel);
                Model plain = new Model(hashAfter, treeAfter);
                steps.forEach(step -> step.accept(plain));
                try {
                    store.write(state -> {
                        steps.forEach(step -> step.accept(state));
                        if (rollback) {
                            throw new RolledBack();
                        }
                    });
                } catch (RolledBack expected) {
                    // discarded on purpose
                }
                if (!rollback) {
                    hashModel = hashAfter;
                    treeModel = treeAfter;
                }
                Model state = store.read();
                assertThat(state.hash()).as("seed %d, transaction %d", seed, t).isEqualTo(hashModel);
                assertThat(state.tree()).as("seed %d, transaction %d", seed, t).isEqualTo(treeModel);
                assertThat(new ArrayList<>(state.tree().keySet())).as("order, seed %d", seed)
                        .isEqualTo(new ArrayList<>(treeModel.keySet()));
            }
        }
    }

    /** A random change to a state, as a user's transaction would make it; shared with {@link StoreLifecycleModelTest}. */
    static Consumer<Model> randomStep(Random random) {
        String hk = "k" + random.nextInt(8);
        int tk = random.nextInt(16);
        int n = random.nextInt(100);
        int lo = random.nextInt(16);
        int hi = lo + random.nextInt(6);
        return switch (random.nextInt(16)) {
            case 0 -> m -> m.hash().put(hk, n);
            case 1 -> m -> m.hash().remove(hk);
            case 2 -> m -> m.hash().merge(hk, n, Integer::sum);
            case 3 -> m -> m.hash().computeIfAbsent(hk, k -> n);
            case 4 -> m -> m.hash().compute(hk, (k, v) -> v == null || v % 2 == 0 ? n : null);
            case 5 -> m -> m.hash().entrySet().removeIf(e -> e.getValue() % 3 == 0);
            case 6 -> m -> m.hash().replaceAll((k, v) -> v + 1);
            case 7 -> m -> m.tree().put(tk, "v" + n);
            case 8 -> m -> m.tree().remove(tk);
            case 9 -> m -> m.tree().pollFirstEntry();
            case 10 -> m -> m.tree().subMap(lo, true, hi, false).clear();
            case 11 -> m -> m.tree().headMap(lo + 1).put(lo, "h" + n);
            case 12 -> m -> {
                Iterator<Integer> it = m.tree().descendingKeySet().iterator();
                while (it.hasNext()) {
                    if (it.next() % 2 == n % 2) {
                        it.remove();
                    }
                }
            };
            case 13 -> m -> m.tree().putIfAbsent(tk, "a" + n);
            case 14 -> m -> m.hash().putAll(Map.of(hk, n, "k" + (n % 8 == 0 ? 9 : 8), n + 1));
            default -> m -> {
                if (n % 10 == 0) {
                    m.hash().clear();
                } else {
                    m.tree().tailMap(hi, false).entrySet().removeIf(e -> e.getValue().endsWith("1"));
                }
            };
        };
    }

    private static final class RolledBack extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
