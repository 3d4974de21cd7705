package dev.etch.persistent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;

/** Compares every read method of a navigable map, and of its views, against a TreeMap model. */
public final class NavigableMapChecks {

    private NavigableMapChecks() {}

    /** Checks reads on {@code actual} and on random range/descending views of it, {@code depth} deep. */
    public static void assertSameReads(NavigableMap<Integer, String> actual, NavigableMap<Integer, String> expected,
            Random rnd, int keySpace, int depth) {
        assertFlatReads(actual, expected, rnd, keySpace);
        if (depth == 0) {
            return;
        }
        assertSameReads(actual.descendingMap(), expected.descendingMap(), rnd, keySpace, depth - 1);
        int a = rnd.nextInt(keySpace);
        int b = rnd.nextInt(keySpace);
        boolean ai = rnd.nextBoolean();
        boolean bi = rnd.nextBoolean();
        Integer from = expected.comparator() == null || expected.comparator().compare(a, b) <= 0 ? a : b;
        Integer to = from == a ? b : a;
        NavigableMap<Integer, String> sub;
        try {
            sub = expected.subMap(from, ai, to, bi);
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> actual.subMap(from, ai, to, bi)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertSameReads(actual.subMap(from, ai, to, bi), sub, rnd, keySpace, depth - 1);
        try {
            sub = expected.headMap(to, bi);
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> actual.headMap(to, bi)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertSameReads(actual.headMap(to, bi), sub, rnd, keySpace, depth - 1);
        try {
            sub = expected.tailMap(from, ai);
        } catch (IllegalArgumentException e) {
            assertThatThrownBy(() -> actual.tailMap(from, ai)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertSameReads(actual.tailMap(from, ai), sub, rnd, keySpace, depth - 1);
    }

    private static void assertFlatReads(NavigableMap<Integer, String> actual, NavigableMap<Integer, String> expected,
            Random rnd, int keySpace) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.isEmpty()).isEqualTo(expected.isEmpty());
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).isEqualTo(actual);
        assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
        assertThat(actual.toString()).isEqualTo(expected.toString());
        assertThat(new ArrayList<>(actual.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(new ArrayList<>(actual.values())).isEqualTo(new ArrayList<>(expected.values()));
        assertThat(new ArrayList<>(actual.descendingKeySet())).isEqualTo(new ArrayList<>(expected.descendingKeySet()));
        assertThat(actual.entrySet()).isEqualTo(expected.entrySet());
        List<Integer> desc = new ArrayList<>();
        for (Iterator<Integer> it = actual.navigableKeySet().descendingIterator(); it.hasNext();) {
            desc.add(it.next());
        }
        assertThat(desc).isEqualTo(new ArrayList<>(expected.descendingKeySet()));
        assertThat(actual.firstEntry()).isEqualTo(expected.firstEntry());
        assertThat(actual.lastEntry()).isEqualTo(expected.lastEntry());
        if (expected.isEmpty()) {
            assertThatThrownBy(actual::firstKey).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(actual::lastKey).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> actual.navigableKeySet().first()).isInstanceOf(NoSuchElementException.class);
        } else {
            assertThat(actual.firstKey()).isEqualTo(expected.firstKey());
            assertThat(actual.lastKey()).isEqualTo(expected.lastKey());
        }
        for (int i = 0; i < 12; i++) {
            Integer k = rnd.nextInt(keySpace + 2) - 1;
            assertThat(actual.get(k)).as("get %s", k).isEqualTo(expected.get(k));
            assertThat(actual.containsKey(k)).isEqualTo(expected.containsKey(k));
            assertThat(actual.lowerEntry(k)).as("lower %s", k).isEqualTo(expected.lowerEntry(k));
            assertThat(actual.floorEntry(k)).as("floor %s", k).isEqualTo(expected.floorEntry(k));
            assertThat(actual.ceilingEntry(k)).as("ceiling %s", k).isEqualTo(expected.ceilingEntry(k));
            assertThat(actual.higherEntry(k)).as("higher %s", k).isEqualTo(expected.higherEntry(k));
            assertThat(actual.lowerKey(k)).isEqualTo(expected.lowerKey(k));
            assertThat(actual.floorKey(k)).isEqualTo(expected.floorKey(k));
            assertThat(actual.ceilingKey(k)).isEqualTo(expected.ceilingKey(k));
            assertThat(actual.higherKey(k)).isEqualTo(expected.higherKey(k));
            assertThat(actual.navigableKeySet().ceiling(k)).isEqualTo(expected.navigableKeySet().ceiling(k));
            boolean inc = rnd.nextBoolean();
            try {
                NavigableMap<Integer, String> h = expected.headMap(k, inc);
                assertThat(actual.headMap(k, inc)).isEqualTo(h);
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> actual.headMap(k, inc)).isInstanceOf(IllegalArgumentException.class);
            }
        }
        if (!expected.isEmpty()) {
            Map.Entry<Integer, String> e = expected.firstEntry();
            assertThat(actual.entrySet().contains(e)).isTrue();
            assertThat(actual.containsValue(e.getValue())).isTrue();
        }
        assertThat(actual.containsValue("absent")).isFalse();
    }
}
