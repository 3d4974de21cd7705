package dev.etch.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.persistent.NavigableMapChecks;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TxNavigableMapTests {

    private static PersistentTreeMap<Integer, String> tree(Map<Integer, String> entries) {
        PersistentMap.Builder<Integer, String> b = PersistentTreeMap.<Integer, String>empty().toBuilder();
        entries.forEach(b::put);
        return (PersistentTreeMap<Integer, String>) b.build();
    }

    @Test
    void writesThroughViewsAreRecordedAndRangeChecked() {
        PersistentTreeMap<Integer, String> base = tree(Map.of(1, "a", 5, "e", 9, "i"));
        RecordingRecorder<Integer, String> rec = new RecordingRecorder<>();
        TxNavigableMap<Integer, String> tx = new TxNavigableMap<>(base, rec);

        NavigableMap<Integer, String> head = tx.headMap(5, true);
        head.put(3, "c");
        assertThatThrownBy(() -> head.put(7, "g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> head.subMap(0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tx.descendingMap().pollFirstEntry()).isEqualTo(Map.entry(9, "i"));
        assertThat(tx.navigableKeySet().pollFirst()).isEqualTo(1);

        assertThat(tx).containsExactly(Map.entry(3, "c"), Map.entry(5, "e"));
        assertThat(head).containsExactly(Map.entry(3, "c"), Map.entry(5, "e"));
        assertThat(base).containsOnlyKeys(1, 5, 9);
        assertThat(rec.replay(base)).isEqualTo(tx.current());
        assertThat(rec.changes).hasSize(3);
    }

    @Test
    void iteratorsWalkTheMapAsCreatedAndFailFast() {
        TxNavigableMap<Integer, String> tx = new TxNavigableMap<>(tree(Map.of(1, "a", 2, "b", 3, "c")),
                new RecordingRecorder<>());
        Iterator<Integer> it = tx.descendingKeySet().iterator();
        assertThat(it.next()).isEqualTo(3);
        it.remove();
        assertThat(it.next()).isEqualTo(2);
        tx.subMap(0, 10).put(4, "d");
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        assertThat(tx.keySet()).containsExactly(1, 2, 4);
    }

    @Test
    void vetoLeavesViewUnchanged() {
        RecordingRecorder<Integer, String> rec = new RecordingRecorder<>();
        TxNavigableMap<Integer, String> tx = new TxNavigableMap<>(tree(Map.of(1, "a")), rec);
        PersistentTreeMap<Integer, String> before = tx.current();
        rec.vetoNext = true;
        assertThatThrownBy(tx::pollFirstEntry).isInstanceOf(RecordingRecorder.Veto.class);
        assertThat(tx.current()).isSameAs(before);
        assertThat(tx).containsExactly(Map.entry(1, "a"));
    }

    @Test
    void randomSequencesMatchTreeMapAndReplayFromTheRecord() {
        for (int seq = 0; seq < 1500; seq++) {
            long seed = 0x7EE_0000L + seq;
            try {
                runSequence(new Random(seed), seq % 50 == 0);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("sequence seed " + seed + ": " + e, e);
            }
        }
    }

    private static void runSequence(Random rnd, boolean big) {
        int keySpace = 1 + rnd.nextInt(big ? 3000 : 40);
        TreeMap<Integer, String> start = MapOps.startingTree(rnd, keySpace);
        PersistentTreeMap<Integer, String> base = tree(start);
        RecordingRecorder<Integer, String> rec = new RecordingRecorder<>();
        TxNavigableMap<Integer, String> tx = new TxNavigableMap<>(base, rec);
        TreeMap<Integer, String> model = new TreeMap<>(start);
        int ops = 1 + rnd.nextInt(40);
        for (int i = 0; i < ops; i++) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            MapOps.MapOp<NavigableMap<Integer, String>> op = rnd.nextBoolean()
                    ? MapOps.randomNavigableOp(rnd, keySpace)
                    : (MapOps.MapOp) MapOps.randomOp(rnd, keySpace);
            boolean veto = op.singleKey() && rnd.nextInt(6) == 0;
            PersistentTreeMap<Integer, String> before = tx.current();
            rec.vetoNext = veto;
            Object actual;
            try {
                actual = MapOps.run(op, tx);
            } catch (RecordingRecorder.Veto v) {
                assertThat(tx.current()).as("after vetoed %s", op).isSameAs(before);
                continue;
            }
            rec.vetoNext = false;
            Object expected = MapOps.run(op, model);
            assertThat(actual).as("result of %s", op).isEqualTo(expected);
            if (!big) {
                assertThat(tx).as("after %s", op).isEqualTo(model);
            }
        }
        NavigableMapChecks.assertSameReads(tx, model, rnd, keySpace, 2);
        assertThat(rec.replay(base)).isEqualTo(tx.current());
        assertThat(base).isEqualTo(start);
    }
}
