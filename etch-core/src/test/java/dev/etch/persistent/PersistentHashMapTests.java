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

    @Test
    void applyAllMatchesApplyingEachChangeInOrder() {
        long seed = 20261125L;
        Random rnd = new Random(seed);
        try {
            for (int round = 0; round < 60; round++) {
                int keySpace = 1 + rnd.nextInt(round % 3 == 0 ? 20_000 : 300);
                int hashSpace = 1 + rnd.nextInt(keySpace * 2);
                PersistentMap.Builder<Key, Integer> batched = PersistentHashMap.<Key, Integer>empty().toBuilder();
                PersistentMap.Builder<Key, Integer> oneByOne = PersistentHashMap.<Key, Integer>empty().toBuilder();
                Map<Key, Integer> model = new HashMap<>();
                // The first batch goes to an empty builder (assembled bottom-up), the later
                // ones are inserted one by one into what is there.
                for (int batch = 0; batch < 3; batch++) {
                    int count = rnd.nextInt(round % 10 == 0 ? 80_000 : 4000);
                    Object[] keys = new Object[count];
                    Object[] values = new Object[count];
                    for (int i = 0; i < count; i++) {
                        int id = rnd.nextInt(keySpace);
                        Key k = new Key(id % hashSpace * 0x9E3779B1 >>> rnd.nextInt(2), id);
                        keys[i] = k;
                        values[i] = rnd.nextInt(4) == 0 ? null : Integer.valueOf(batch * 10_000 + i);
                        if (values[i] == null) {
                            oneByOne.remove(k);
                            model.remove(k);
                        } else {
                            oneByOne.put(k, (Integer) values[i]);
                            model.put(k, (Integer) values[i]);
                        }
                    }
                    Object[] keysBefore = keys.clone();
                    batched.applyAll(keys, values, count);
                    assertThat(keys).isEqualTo(keysBefore);
                    assertThat(batched.size()).isEqualTo(model.size());
                    PersistentMap<Key, Integer> built = batched.build();
                    assertThat(built).isEqualTo(model);
                    // Same shape as one-by-one insertion: the trie of a key set is canonical,
                    // and the iteration order shows its shape (keys of one hash share a
                    // collision node, where their order may differ).
                    assertThat(built.keySet().stream().map(Key::hash).toList()).containsExactlyElementsOf(
                            oneByOne.build().keySet().stream().map(Key::hash).toList());
                }
                for (Key k : new ArrayList<>(model.keySet())) {
                    assertThat(batched.remove(k)).isEqualTo(model.remove(k));
                }
                assertThat(batched.build()).isEmpty();
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @Test
    void applyAllKeepsTheLastChangeOfARepeatedKeyAndCollisions() {
        PersistentMap.Builder<Key, Integer> b = PersistentHashMap.<Key, Integer>empty().toBuilder();
        Object[] keys = {new Key(7, 1), new Key(7, 2), new Key(7, 1), new Key(7, 3), new Key(7, 2), new Key(9, 9)};
        Object[] values = {1, 2, null, 3, 22, 9};
        b.applyAll(keys, values, keys.length);
        assertThat(b.build()).isEqualTo(Map.of(new Key(7, 2), 22, new Key(7, 3), 3, new Key(9, 9), 9));
        assertThatThrownBy(() -> b.applyAll(new Object[] {new Key(1, 1), null}, new Object[] {1, 2}, 2))
                .isInstanceOf(NullPointerException.class);
        // A long run of changes to keys of one hash, each key rewritten and some removed.
        PersistentMap.Builder<Key, Integer> longRun = PersistentHashMap.<Key, Integer>empty().toBuilder();
        Object[] runKeys = new Object[12];
        Object[] runValues = new Object[12];
        for (int i = 0; i < 12; i++) {
            runKeys[i] = new Key(5, i % 4);
            runValues[i] = i == 10 ? null : Integer.valueOf(i);
        }
        longRun.applyAll(runKeys, runValues, 12);
        assertThat(longRun.build()).isEqualTo(Map.of(new Key(5, 0), 8, new Key(5, 1), 9, new Key(5, 3), 11));
        PersistentMap.Builder<Key, Integer> removedOnly = PersistentHashMap.<Key, Integer>empty().toBuilder();
        removedOnly.applyAll(new Object[] {new Key(3, 3)}, new Object[1], 1);
        assertThat(removedOnly.build()).isEmpty();
    }

    @Test
    void trieOrderIsABijectionAndTheLinearSortIsStable() {
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            int h = rnd.nextInt();
            assertThat(PersistentHashMap.hashOfTrieOrder(PersistentHashMap.trieOrder(h))).isEqualTo(h);
        }
        // Root fragment first: keys differing only in the root fragment order by it.
        assertThat(Integer.compareUnsigned(PersistentHashMap.trieOrder(1), PersistentHashMap.trieOrder(2)))
                .isNegative();
        assertThat(Integer.compareUnsigned(PersistentHashMap.trieOrder(31), PersistentHashMap.trieOrder(32)))
                .isPositive();
        for (int n : new int[] {10, 70_000, 300_000}) {
            int[] orders = new int[n];
            for (int i = 0; i < n; i++) {
                orders[i] = rnd.nextInt(n / 3 + 1) * 0x9E3779B1;
            }
            long[] expected = new long[n];
            for (int i = 0; i < n; i++) {
                expected[i] = ((long) (orders[i] ^ Integer.MIN_VALUE) << 32) | i;
            }
            java.util.Arrays.sort(expected);
            assertThat(PersistentHashMap.sortStable(orders)).isEqualTo(expected);
        }
    }
}
