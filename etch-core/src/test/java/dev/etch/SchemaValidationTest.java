package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Opening a store on a bad state type fails at once, naming the type, component and fix. */
class SchemaValidationTest {

    public static final class NotARecord {}

    public record NoComponents() {}

    public record MissingAnnotation(@EtchCollection(0) Map<String, String> a, Map<String, String> b) {}

    public record DuplicateId(@EtchCollection(3) Map<String, String> first, @EtchCollection(3) Map<String, String> second) {}

    public record IdTooLarge(@EtchCollection(256) Map<String, String> a) {}

    public record NegativeId(@EtchCollection(-1) Map<String, String> a) {}

    public record NotAMap(@EtchCollection(0) List<String> a) {}

    public record ConcreteMap(@EtchCollection(0) HashMap<String, String> a) {}

    @SuppressWarnings("rawtypes")
    public record RawMap(@EtchCollection(0) Map a) {}

    public record DoubleKey(@EtchCollection(0) Map<Double, String> a) {}

    public record ListKey(@EtchCollection(0) Map<List<String>, String> a) {}

    public record CompositeWithBadPart(@EtchCollection(0) Map<BadPair, String> a) {}

    public record BadPair(String name, Object other) {}

    public record CopyingConstructor(@EtchCollection(0) Map<String, String> a) {
        public CopyingConstructor {
            a = Map.copyOf(a);
        }
    }

    public enum Color { RED, GREEN }

    public record Pair(String tenant, long id) {}

    public record AllKeys(
            @EtchCollection(0) Map<String, String> strings,
            @EtchCollection(1) Map<Integer, String> ints,
            @EtchCollection(2) NavigableMap<Long, String> longs,
            @EtchCollection(3) SortedMap<Short, String> shorts,
            @EtchCollection(4) Map<Byte, String> bytes,
            @EtchCollection(5) Map<UUID, String> uuids,
            @EtchCollection(6) NavigableMap<InetAddress, String> addresses,
            @EtchCollection(7) NavigableMap<Color, String> colors,
            @EtchCollection(255) NavigableMap<Pair, String> pairs) {}

    @Test
    void rejectsAClassThatIsNotARecord() {
        assertThatThrownBy(() -> EtchStore.inMemory(NotARecord.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining(NotARecord.class.getName())
                .hasMessageContaining("is not a record");
    }

    @Test
    void rejectsARecordWithoutCollections() {
        assertThatThrownBy(() -> EtchStore.inMemory(NoComponents.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("has no components");
    }

    @Test
    void rejectsAComponentWithoutAnId() {
        assertThatThrownBy(() -> EtchStore.inMemory(MissingAnnotation.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("MissingAnnotation.b has no @EtchCollection id");
    }

    @Test
    void rejectsADuplicateId() {
        assertThatThrownBy(() -> EtchStore.inMemory(DuplicateId.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("DuplicateId.second: @EtchCollection(3) is also used by DuplicateId.first")
                .hasMessageContaining("unique id");
    }

    @Test
    void rejectsIdsOutsideOneByte() {
        assertThatThrownBy(() -> EtchStore.inMemory(IdTooLarge.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("IdTooLarge.a: @EtchCollection(256) is out of range")
                .hasMessageContaining("0..255");
        assertThatThrownBy(() -> EtchStore.inMemory(NegativeId.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("@EtchCollection(-1) is out of range");
    }

    @Test
    void rejectsComponentsThatAreNotMapInterfaces() {
        assertThatThrownBy(() -> EtchStore.inMemory(NotAMap.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("NotAMap.a is declared as java.util.List<java.lang.String>")
                .hasMessageContaining("Map<K, V>");
        assertThatThrownBy(() -> EtchStore.inMemory(ConcreteMap.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("ConcreteMap.a is declared as java.util.HashMap");
        assertThatThrownBy(() -> EtchStore.inMemory(RawMap.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("RawMap.a is a raw Map");
    }

    @Test
    void rejectsUnsupportedKeyTypes() {
        assertThatThrownBy(() -> EtchStore.inMemory(DoubleKey.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("DoubleKey.a: key type java.lang.Double is not supported")
                .hasMessageContaining("a record of those");
        assertThatThrownBy(() -> EtchStore.inMemory(ListKey.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("key type java.util.List<java.lang.String> is not supported");
        assertThatThrownBy(() -> EtchStore.inMemory(CompositeWithBadPart.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("key BadPair.other: key type java.lang.Object is not supported");
    }

    @Test
    void rejectsAConstructorThatCopiesItsMaps() {
        assertThatThrownBy(() -> EtchStore.inMemory(CopyingConstructor.class))
                .isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("CopyingConstructor.a: the record's constructor replaces the map");
    }

    @Test
    void acceptsEverySupportedKeyType() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        UUID uuid = UUID.randomUUID();
        try (EtchStore<AllKeys> store = EtchStore.inMemory(AllKeys.class)) {
            store.write(s -> {
                s.strings().put("a", "1");
                s.ints().put(-7, "2");
                s.longs().put(Long.MAX_VALUE, "3");
                s.shorts().put((short) 3, "4");
                s.bytes().put((byte) -1, "5");
                s.uuids().put(uuid, "6");
                s.addresses().put(v6, "v6");
                s.addresses().put(v4, "v4");
                s.colors().put(Color.GREEN, "g");
                s.colors().put(Color.RED, "r");
                s.pairs().put(new Pair("t2", 1), "x");
                s.pairs().put(new Pair("t1", 9), "y");
                s.pairs().put(new Pair("t1", 2), "z");
            });
            AllKeys state = store.read();
            assertThat(state.uuids()).containsEntry(uuid, "6");
            assertThat(state.addresses().keySet()).containsExactly(v4, v6);
            assertThat(state.colors().keySet()).containsExactly(Color.RED, Color.GREEN);
            assertThat(state.pairs().keySet()).containsExactly(new Pair("t1", 2), new Pair("t1", 9), new Pair("t2", 1));
        }
    }
}
