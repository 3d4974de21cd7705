package dev.etch.persistent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A builder edits the nodes it owns in place, so "the child came back as the same object" no
 * longer means "nothing changed". Removing most keys through one builder (what replaying a
 * log full of deletes does) must leave a map that iterates, navigates and compares correctly:
 * no empty leaves, no single-entry sub-nodes left behind.
 */
class BuilderRemovalTests {

    @Test
    void aTreeBuilderThatRemovesMostKeysLeavesAWellFormedTree() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            TreeMap<Integer, Integer> model = new TreeMap<>();
            PersistentMap.Builder<Integer, Integer> builder =
                    PersistentTreeMap.<Integer, Integer>empty(Comparator.naturalOrder()).toBuilder();
            for (int i = 0; i < 3_000; i++) {
                int k = random.nextInt(5_000);
                builder.put(k, i);
                model.put(k, i);
            }
            for (Integer k : new ArrayList<>(model.keySet())) {
                if (random.nextInt(10) > 0) {
                    builder.remove(k);
                    model.remove(k);
                }
            }
            PersistentTreeMap<Integer, Integer> built = (PersistentTreeMap<Integer, Integer>) builder.build();
            assertThat(new ArrayList<>(built.entrySet())).as("round %d", round)
                    .isEqualTo(new ArrayList<>(model.entrySet()));
            assertThat(new ArrayList<>(built.descendingMap().keySet()))
                    .isEqualTo(new ArrayList<>(model.descendingMap().keySet()));
            if (!model.isEmpty()) {
                assertThat(built.firstKey()).isEqualTo(model.firstKey());
                assertThat(built.lastKey()).isEqualTo(model.lastKey());
            }
        }
    }

    @Test
    void aHashBuilderThatRemovesMostKeysLeavesAWellFormedTrie() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            Map<String, Integer> model = new HashMap<>();
            PersistentMap.Builder<String, Integer> builder = PersistentHashMap.<String, Integer>empty().toBuilder();
            for (int i = 0; i < 3_000; i++) {
                String k = "k" + random.nextInt(5_000);
                builder.put(k, i);
                model.put(k, i);
            }
            for (String k : new ArrayList<>(model.keySet())) {
                if (random.nextInt(10) > 0) {
                    builder.remove(k);
                    model.remove(k);
                }
            }
            PersistentMap<String, Integer> built = builder.build();
            assertThat(built).as("round %d", round).isEqualTo(model);
            assertThat(built.entrySet()).hasSize(model.size());
            assertThat(built.hashCode()).isEqualTo(model.hashCode());
            PersistentMap<String, Integer> persistent = PersistentHashMap.empty();
            for (Map.Entry<String, Integer> e : model.entrySet()) {
                persistent = persistent.plus(e.getKey(), e.getValue());
            }
            assertThat(built).isEqualTo(persistent);
        }
    }
}
