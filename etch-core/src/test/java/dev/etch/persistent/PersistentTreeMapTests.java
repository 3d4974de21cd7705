package dev.etch.persistent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PersistentTreeMapTests {

    @Test
    void navigationFollowsTreeMap() {
        PersistentTreeMap<Integer, String> built = PersistentTreeMap.empty();
        for (int i = 0; i < 100; i += 10) {
            built = built.plus(i, "v" + i);
        }
        PersistentTreeMap<Integer, String> m = built;
        assertThat(m.firstKey()).isZero();
        assertThat(m.lastKey()).isEqualTo(90);
        assertThat(m.floorKey(15)).isEqualTo(10);
        assertThat(m.ceilingKey(15)).isEqualTo(20);
        assertThat(m.lowerKey(10)).isZero();
        assertThat(m.higherKey(90)).isNull();
        assertThat(m.subMap(20, 50).keySet()).containsExactly(20, 30, 40);
        assertThat(m.descendingMap().headMap(50).keySet()).containsExactly(90, 80, 70, 60);
        assertThatThrownBy(() -> m.subMap(50, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.subMap(20, 50).tailMap(60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersistentTreeMap.<Integer, String>empty().firstKey())
                .isInstanceOf(NoSuchElementException.class);
        assertThat(m.toString()).startsWith("{0=v0, 10=v10");
    }

    @Test
    void rejectsNullsAndMutationEverywhere() {
        PersistentTreeMap<Integer, String> m = PersistentTreeMap.<Integer, String>empty().plus(1, "a");
        assertThatThrownBy(() -> PersistentTreeMap.empty(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.plus(null, "x")).hasMessageContaining("null keys are not allowed");
        assertThatThrownBy(() -> m.plus(2, null)).hasMessageContaining("null values are not allowed");
        assertThatThrownBy(() -> m.put(2, "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(m::pollFirstEntry).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.headMap(5).put(2, "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.descendingMap().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.navigableKeySet().pollFirst()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entrySet().iterator().next().setValue("z"))
                .isInstanceOf(UnsupportedOperationException.class);
        var it = m.values().iterator();
        it.next();
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.tailMap(0).compute(7, (k, v) -> null))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(m).isEqualTo(Map.of(1, "a"));
    }

    @Test
    void customComparatorOrdersKeys() {
        PersistentTreeMap<String, Integer> m = PersistentTreeMap.empty(Comparator.comparing(String::length)
                .thenComparing(Comparator.reverseOrder()));
        for (String s : List.of("bb", "a", "ccc", "b", "aa")) {
            m = m.plus(s, s.length());
        }
        assertThat(new ArrayList<>(m.keySet())).containsExactly("b", "a", "bb", "aa", "ccc");
    }

    @Test
    void randomOperationsMatchTreeMapIncludingViewsAndOldVersions() {
        long seed = 20261124L;
        Random rnd = new Random(seed);
        try {
            for (int round = 0; round < 30; round++) {
                int keySpace = 1 + rnd.nextInt(round % 3 == 0 ? 6000 : 300);
                PersistentTreeMap<Integer, String> m = PersistentTreeMap.empty();
                TreeMap<Integer, String> model = new TreeMap<>();
                List<PersistentTreeMap<Integer, String>> versions = new ArrayList<>();
                List<TreeMap<Integer, String>> snapshots = new ArrayList<>();
                int ops = 200 + rnd.nextInt(4000);
                double removeRate = rnd.nextDouble() * 0.6;
                for (int op = 0; op < ops; op++) {
                    int k = rnd.nextInt(keySpace);
                    if (rnd.nextDouble() < removeRate) {
                        m = m.minus(k);
                        model.remove(k);
                    } else {
                        m = m.plus(k, "v" + op);
                        model.put(k, "v" + op);
                    }
                    if (op % 700 == 0) {
                        versions.add(m);
                        snapshots.add(new TreeMap<>(model));
                    }
                }
                NavigableMapChecks.assertSameReads(m, model, rnd, keySpace, 3);
                for (int i = 0; i < versions.size(); i++) {
                    assertThat(versions.get(i)).isEqualTo(snapshots.get(i));
                }
                // Drain to empty, exercising merges all the way down.
                for (Integer k : new ArrayList<>(model.keySet())) {
                    m = m.minus(k);
                }
                assertThat(m).isEmpty();
                assertThat(m.firstEntry()).isNull();
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @Test
    void builderSortedAndRandomLoadsMatchModel() {
        long seed = 20261124L;
        Random rnd = new Random(seed);
        try {
            PersistentMap.Builder<Integer, String> sorted = PersistentTreeMap.<Integer, String>empty().toBuilder();
            TreeMap<Integer, String> model = new TreeMap<>();
            for (int i = 0; i < 20_000; i++) {
                sorted.put(i, "s" + i);
                model.put(i, "s" + i);
            }
            PersistentTreeMap<Integer, String> loaded = (PersistentTreeMap<Integer, String>) sorted.build();
            NavigableMapChecks.assertSameReads(loaded, model, rnd, 20_000, 2);

            TreeMap<Integer, String> loadedCopy = new TreeMap<>(loaded);
            PersistentMap.Builder<Integer, String> b = loaded.toBuilder();
            List<PersistentMap<Integer, String>> built = new ArrayList<>();
            List<TreeMap<Integer, String>> copies = new ArrayList<>();
            for (int op = 0; op < 60_000; op++) {
                int k = rnd.nextInt(25_000);
                if (rnd.nextInt(2) == 0) {
                    assertThat(b.remove(k)).isEqualTo(model.remove(k));
                } else {
                    assertThat(b.put(k, "r" + op)).isEqualTo(model.put(k, "r" + op));
                }
                if (op % 10_000 == 0) {
                    built.add(b.build());
                    copies.add(new TreeMap<>(model));
                }
            }
            assertThat(b.size()).isEqualTo(model.size());
            NavigableMapChecks.assertSameReads((PersistentTreeMap<Integer, String>) b.build(), model, rnd, 25_000, 2);
            assertThat(loaded).isEqualTo(loadedCopy);
            for (int i = 0; i < built.size(); i++) {
                assertThat(built.get(i)).isEqualTo(copies.get(i));
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @Test
    void viewsOfAnEmptyRangeBehave() {
        PersistentTreeMap<Integer, String> m = PersistentTreeMap.<Integer, String>empty().plus(1, "a").plus(9, "b");
        NavigableMap<Integer, String> sub = m.subMap(3, true, 5, true);
        assertThat(sub).isEmpty();
        assertThat(sub.firstEntry()).isNull();
        assertThatThrownBy(sub::firstKey).isInstanceOf(NoSuchElementException.class);
        assertThat(sub.ceilingKey(0)).isNull();
        assertThat(sub.floorKey(100)).isNull();
        assertThat(sub.get(1)).isNull();
    }
}
