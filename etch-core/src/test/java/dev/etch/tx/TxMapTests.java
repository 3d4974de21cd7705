package dev.etch.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TxMapTests {

    @Test
    void readsItsOwnWritesAndRecordsThemWithoutChangingTheBase() {
        PersistentHashMap<String, Integer> base = PersistentHashMap.<String, Integer>empty().plus("a", 1);
        RecordingRecorder<String, Integer> rec = new RecordingRecorder<>();
        TxMap<String, Integer> tx = new TxMap<>(base, rec);

        tx.put("b", 2);
        tx.merge("a", 10, Integer::sum);
        tx.remove("zzz");
        tx.remove("b");

        assertThat(tx).isEqualTo(Map.of("a", 11));
        assertThat(tx.current()).isEqualTo(Map.of("a", 11));
        assertThat(base).isEqualTo(Map.of("a", 1));
        assertThat(rec.changes).containsExactly(
                new RecordingRecorder.Change<>("b", 2),
                new RecordingRecorder.Change<>("a", 11),
                new RecordingRecorder.Change<>("b", null));
    }

    @Test
    void aVetoedChangeLeavesTheViewUnchangedAndPropagates() {
        RecordingRecorder<String, Integer> rec = new RecordingRecorder<>();
        TxMap<String, Integer> tx = new TxMap<>(PersistentHashMap.<String, Integer>empty().plus("a", 1), rec);
        PersistentMap<String, Integer> before = tx.current();
        rec.vetoNext = true;
        assertThatThrownBy(() -> tx.compute("a", (k, v) -> v + 1)).isInstanceOf(RecordingRecorder.Veto.class);
        assertThat(tx.current()).isSameAs(before);
        rec.vetoNext = true;
        assertThatThrownBy(() -> tx.keySet().remove("a")).isInstanceOf(RecordingRecorder.Veto.class);
        assertThat(tx.current()).isSameAs(before);
        assertThat(rec.changes).isEmpty();
    }

    @Test
    void rejectsNulls() {
        TxMap<String, Integer> tx = new TxMap<>(PersistentHashMap.empty(), new RecordingRecorder<>());
        assertThatThrownBy(() -> tx.put(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null keys are not allowed");
        assertThatThrownBy(() -> tx.put("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null values are not allowed");
        assertThatThrownBy(() -> tx.computeIfAbsent(null, k -> 1)).isInstanceOf(NullPointerException.class);
        assertThat(tx.get(null)).isNull();
        assertThat(tx.remove(null)).isNull();
    }

    @Test
    void iteratorsAreFailFastButTheirOwnRemoveAndSetValueAreFine() {
        PersistentHashMap<Integer, String> base = PersistentHashMap.empty();
        for (int i = 0; i < 10; i++) {
            base = base.plus(i, "v" + i);
        }
        TxMap<Integer, String> tx = new TxMap<>(base, new RecordingRecorder<>());
        Iterator<Map.Entry<Integer, String>> it = tx.entrySet().iterator();
        Map.Entry<Integer, String> e = it.next();
        e.setValue("changed");
        it.next();
        it.remove();
        it.next();
        tx.put(100, "x");
        assertThat(it.hasNext()).isTrue();
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        assertThat(tx.get(e.getKey())).isEqualTo("changed");
        assertThat(tx).hasSize(10);
    }

    @Test
    void randomSequencesMatchHashMapAndReplayFromTheRecord() {
        for (int seq = 0; seq < 1500; seq++) {
            long seed = 0x5EED_0000L + seq;
            try {
                runSequence(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("sequence seed " + seed + ": " + e, e);
            }
        }
    }

    private static void runSequence(Random rnd) {
        int keySpace = 1 + rnd.nextInt(40);
        Map<Integer, String> start = MapOps.startingTree(rnd, keySpace);
        PersistentHashMap<Integer, String> base = PersistentHashMap.copyOf(start);
        RecordingRecorder<Integer, String> rec = new RecordingRecorder<>();
        TxMap<Integer, String> tx = new TxMap<>(base, rec);
        Map<Integer, String> model = new HashMap<>(start);
        int ops = 1 + rnd.nextInt(40);
        for (int i = 0; i < ops; i++) {
            MapOps.MapOp<Map<Integer, String>> op = MapOps.randomOp(rnd, keySpace);
            boolean veto = op.singleKey() && rnd.nextInt(6) == 0;
            PersistentMap<Integer, String> before = tx.current();
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
            assertThat(tx).as("after %s", op).isEqualTo(model);
        }
        assertThat(model).isEqualTo(tx);
        assertThat(tx.hashCode()).isEqualTo(model.hashCode());
        assertThat(rec.replay(base)).isEqualTo(tx.current());
        assertThat(base).isEqualTo(start);
    }
}
