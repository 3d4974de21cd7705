package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link Ledger} directory must hold after any number of crashes: every acknowledged
 * transaction, whole; any unacknowledged one either whole or absent; and, per writer thread
 * and round, no holes (a thread starts write {@code i + 1} only after {@code i} returned, and
 * the log keeps order, so a surviving {@code i + 1} proves {@code i}).
 */
final class LedgerModel {

    private final Map<String, Long> acknowledged = new HashMap<>();

    /** Adds a run's acknowledgements. */
    void acknowledge(Map<String, Long> acks) {
        acknowledged.putAll(acks);
    }

    int size() {
        return acknowledged.size();
    }

    /**
     * Checks a recovered state against the model.
     *
     * @param state what the store holds after reopening
     * @param context says which cycle, for failure messages
     */
    void check(Ledger state, String context) {
        // Plain loops, assertions only on a mismatch: states reach tens of thousands of entries.
        for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
            if (!ack.getValue().equals(state.entries().get(ack.getKey()))) {
                assertThat(state.entries()).as("%s: acknowledged %s", context, ack.getKey())
                        .containsEntry(ack.getKey(), ack.getValue());
            }
        }
        if (!state.entries().keySet().equals(state.twins().keySet())) {
            Set<String> halfApplied = new HashSet<>(state.entries().keySet());
            halfApplied.removeAll(state.twins().keySet());
            Set<String> twinsOnly = new HashSet<>(state.twins().keySet());
            twinsOnly.removeAll(state.entries().keySet());
            assertThat(halfApplied).as("%s: entries without their twin", context).isEmpty();
            assertThat(twinsOnly).as("%s: twins without their entry", context).isEmpty();
        }
        Map<String, TreeSet<Long>> byWriter = new HashMap<>();
        state.entries().forEach((key, value) -> {
            if (-value != state.twins().get(key)) {
                assertThat(state.twins().get(key)).as("%s: twin of %s", context, key).isEqualTo(-value);
            }
            int dash = key.lastIndexOf('-');
            long i = Long.parseLong(key.substring(dash + 1));
            String writer = key.substring(0, dash);
            long thread = Long.parseLong(writer.substring(writer.lastIndexOf("-t") + 2));
            if (value != i * 31 + thread) {
                assertThat(value).as("%s: value of %s", context, key).isEqualTo(i * 31 + thread);
            }
            byWriter.computeIfAbsent(writer, w -> new TreeSet<>()).add(i);
        });
        byWriter.forEach((writer, writes) -> {
            if (writes.last() != writes.size() - 1L) {
                assertThat(writes.last())
                        .as("%s: writes of %s have holes (%d writes, the last is %d)", context, writer, writes.size(),
                                writes.last())
                        .isEqualTo(writes.size() - 1L);
            }
        });
    }
}
