package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.AnnotatedType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions near and past the size one log entry can hold (about 2 GiB encoded: etchdb's
 * format frames an entry with a 32-bit length). Values come from a codec that hands out one
 * shared array, so the test needs the memory of one value, not of the transaction.
 */
class LargeTransactionTest {

    private static final int VALUE_BYTES = 64 << 20;
    private static final byte[] SHARED = new byte[VALUE_BYTES];

    /** A value that stands for {@code length} encoded bytes. */
    public record Sized(int length) {}

    public record Blobs(@EtchCollection(0) Map<String, Sized> blobs) {}

    @TempDir
    Path dir;

    @Test
    void aTransactionTooLargeForOneLogEntryFailsClearlyAndChangesNothing() {
        try (EtchStore<Blobs> store = open()) {
            store.write(b -> b.blobs().put("before", new Sized(VALUE_BYTES)));
            // 34 values of 64 MiB: 2,176 MiB, past the 2 GiB an entry can frame.
            assertThatThrownBy(() -> store.write(b -> {
                for (int i = 0; i < 34; i++) {
                    b.blobs().put("big-" + i, new Sized(VALUE_BYTES));
                }
            })).isExactlyInstanceOf(EtchException.class)
                    .hasMessageContaining("34 operations")
                    .hasMessageContaining("Nothing was written or applied")
                    .hasMessageContaining("split the work into several transactions");
            assertThat(store.read().blobs()).containsOnlyKeys("before");
            store.write(b -> b.blobs().put("after", new Sized(VALUE_BYTES)));
        }
        try (EtchStore<Blobs> store = open()) {
            assertThat(store.read().blobs()).containsOnlyKeys("before", "after");
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @Test
    void aLargeTransactionThatFitsCommitsAndReopens() {
        try (EtchStore<Blobs> store = open()) {
            store.write(b -> {
                for (int i = 0; i < 3; i++) {
                    b.blobs().put("big-" + i, new Sized(VALUE_BYTES));
                }
            });
            store.write(b -> b.blobs().put("small", new Sized(16)));
        }
        try (EtchStore<Blobs> store = open()) {
            assertThat(store.read().blobs()).containsOnlyKeys("big-0", "big-1", "big-2", "small");
            assertThat(store.read().blobs().get("big-2").length()).isEqualTo(VALUE_BYTES);
            assertThat(store.read().blobs().get("small").length()).isEqualTo(16);
            assertThat(store.replayReport().entriesReplayed()).isEqualTo(2);
        }
    }

    private EtchStore<Blobs> open() {
        return EtchStore.builder(Blobs.class).directory(dir).valueCodec(new SharedArrayCodec())
                .flushPolicy(FlushPolicy.none()).snapshotEvery(0).snapshotLogSize(0).open(); // replay the log
    }

    /** Encodes a {@link Sized} as the first {@code length} bytes of one shared array. */
    private static final class SharedArrayCodec implements ValueCodec {
        @Override
        public String name() {
            return "shared-array";
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> Binding<V> bind(AnnotatedType valueType) {
            return (Binding<V>) new Binding<Sized>() {
                @Override
                public byte[] encode(Sized value) {
                    return value.length() == VALUE_BYTES ? SHARED : new byte[value.length()];
                }

                @Override
                public Sized decode(byte[] bytes, int offset, int length) {
                    return new Sized(length);
                }
            };
        }
    }
}
