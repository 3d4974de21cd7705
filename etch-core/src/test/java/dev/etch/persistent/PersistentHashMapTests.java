package dev.etch.persistent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistentHashMapTests {

    /** A key whose hash the test chooses, to force shared prefixes and full collisions. */
    record Key(int hash, int id) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void plusAndMinusReturnNewMapsAndLeaveTheOldOneAlone() {
        PersistentHashMap<String, Integer> empty = PersistentHashMap.empty();
        PersistentHashMap<String, Integer> one = empty.plus("a", 1);
        PersistentHashMap<String, Integer> two = one.plus("b", 2);

        assertThat(empty).isEmpty();
        assertThat(one).containsExactly(Map.entry("a", 1));
        assertThat(two).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(two.minus("a")).isEqualTo(Map.of("b", 2));
        assertThat(two).isEqualTo(Map.of("a", 1, "b", 2));
        assertThat(two.minus("zzz")).isSameAs(two);
        Integer same = 2;
        assertThat(two.plus("b", same)).isSameAs(two);
        assertThat(two.toString()).isIn("{a=1, b=2}", "{b=2, a=1}");
        assertThat(two.hashCode()).isEqualTo(new HashMap<>(two).hashCode());
    }

    @Test
    void rejectsNullsAndMutation() {
        PersistentHashMap<String, Integer> m = PersistentHashMap.<String, Integer>empty().plus("a", 1);
        assertThatThrownBy(() -> m.plus(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null keys are not allowed");
        assertThatThrownBy(() -> m.plus("b", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null values are not allowed");
        assertThat(m.get(null)).isNull();
        assertThat(m.containsKey(null)).isFalse();
        assertThatThrownBy(() -> m.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.compute("a", (k, v) -> v)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.merge("a", 1, Integer::sum)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.keySet().remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.values().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
        var it = m.keySet().iterator();
        it.next();
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThat(m).containsExactly(Map.entry("a", 1));
    }

    @Test
    void fullHashCollisionsAndSharedPrefixes() {
        PersistentHashMap<Key, Integer> m = PersistentHashMap.empty();
        Map<Key, Integer> model = new HashMap<>();
        int[] hashes = {0, 0, 0, 1 << 30, 1 << 31, 32, 32 * 32, 0x7fffffff, 0xffffffff, 0xffffffff};
        for (int i = 0; i < hashes.length; i++) {
            m = m.plus(new Key(hashes[i], i), i);
            model.put(new Key(hashes[i], i), i);
            assertThat(m).isEqualTo(model);
        }
        for (int i = 0; i < hashes.length; i++) {
            m = m.minus(new Key(hashes[i], i));
            model.remove(new Key(hashes[i], i));
            assertThat(m).isEqualTo(model);
            assertThat(m.size()).isEqualTo(model.size());
        }
    }

    @Test
    void randomOperationsMatchHashMapAndOldVersionsNeverChange() {
        long seed = 20261124L;
        Random rnd = new Random(seed);
        try {
            for (int round = 0; round < 40; round++) {
                int keySpace = 1 + rnd.nextInt(round % 4 == 0 ? 5000 : 200);
                int hashSpace = 1 + rnd.nextInt(keySpace * 2);
                PersistentHashMap<Key, Integer> m = PersistentHashMap.empty();
                Map<Key, Integer> model = new HashMap<>();
                List<PersistentHashMap<Key, Integer>> versions = new ArrayList<>();
                List<Map<Key, Integer>> snapshots = new ArrayList<>();
                for (int op = 0; op < 3000; op++) {
                    int id = rnd.nextInt(keySpace);
                    Key k = new Key(id % hashSpace * 0x9E3779B1 >>> rnd.nextInt(2), id);
                    k = new Key(k.hash(), id);
                    if (rnd.nextInt(3) == 0) {
                        m = m.minus(k);
                        model.remove(k);
                    } else {
                        m = m.plus(k, op);
                        model.put(k, op);
                    }
                    assertThat(m.get(k)).isEqualTo(model.get(k));
                    assertThat(m.size()).isEqualTo(model.size());
                    if (op % 500 == 0) {
                        versions.add(m);
                        snapshots.add(new HashMap<>(model));
                    }
                }
                assertThat(m).isEqualTo(model);
                assertThat(m.hashCode()).isEqualTo(model.hashCode());
                for (int i = 0; i < versions.size(); i++) {
                    assertThat(versions.get(i)).isEqualTo(snapshots.get(i));
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @Test
    void builderMatchesModelAndNeverChangesMapsItWasGivenOrBuilt() {
        long seed = 20261124L;
        Random rnd = new Random(seed);
        try {
            PersistentHashMap<Integer, Integer> base = PersistentHashMap.empty();
            for (int i = 0; i < 500; i++) {
                base = base.plus(i, i);
            }
            Map<Integer, Integer> baseCopy = new HashMap<>(base);
            PersistentMap.Builder<Integer, Integer> b = base.toBuilder();
            Map<Integer, Integer> model = new HashMap<>(base);
            List<PersistentMap<Integer, Integer>> built = new ArrayList<>();
            List<Map<Integer, Integer>> builtCopies = new ArrayList<>();
            for (int op = 0; op < 50_000; op++) {
                int k = rnd.nextInt(3000);
                if (rnd.nextInt(3) == 0) {
                    assertThat(b.remove(k)).isEqualTo(model.remove(k));
                } else {
                    assertThat(b.put(k, op)).isEqualTo(model.put(k, op));
                }
                assertThat(b.size()).isEqualTo(model.size());
                if (op % 5000 == 0) {
                    built.add(b.build());
                    builtCopies.add(new HashMap<>(model));
                }
            }
            assertThat(b.build()).isEqualTo(model);
            assertThat(base).isEqualTo(baseCopy);
            for (int i = 0; i < built.size(); i++) {
                assertThat(built.get(i)).isEqualTo(builtCopies.get(i));
            }
            for (int k = 0; k < 3000; k++) {
                assertThat(b.get(k)).isEqualTo(model.get(k));
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }
}
