package dev.etch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.etch.EtchCollection;
import dev.etch.EtchSchemaException;
import dev.etch.EtchStore;
import dev.etch.ValueCodec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The default codec refuses, when the store opens, a value type it would write but could not
 * read back after a restart: an interface or abstract class without type information.
 */
class JacksonReadableTypesTests {

    /** No type information: Jackson cannot tell which class to create. */
    public interface Shape {}

    public record Circle(double r) implements Shape {}

    /** With type information: Jackson writes the subtype's name and reads it back. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = Dot.class, name = "dot"), @JsonSubTypes.Type(value = Line.class,
            name = "line")})
    public sealed interface Mark permits Dot, Line {}

    public record Dot(int x, int y) implements Mark {}

    public record Line(Dot from, Dot to) implements Mark {}

    public record Drawing(String name, Shape shape) {}

    public record Shapes(List<Shape> shapes) {}

    public record ShapeMap(Map<String, Shape> byName) {}

    public record MaybeShape(Optional<Shape> shape) {}

    public record ShapeArray(Shape[] shapes) {}

    public record Page<T>(List<T> items, int total) {}

    public record ShapePage(Page<Shape> page) {}

    public record Sketch(String name, Mark mark, List<Mark> marks) {}

    public record Pinned(@JsonDeserialize(as = Circle.class) Shape shape) {}

    /** Everything Jackson reads back without help, and a recursive record. */
    public record Plain(String s, int i, Long boxed, BigDecimal amount, Instant at, List<String> tags,
            Map<String, Integer> counts, Set<Long> ids, SortedMap<String, List<Integer>> sorted,
            Optional<String> note, byte[] data, Object anything, Number number, CharSequence text,
            Page<String> page, Node tree) {}

    public record Node(String name, List<Node> children) {}

    public record Bad(@EtchCollection(0) Map<String, Drawing> drawings) {}

    public record BadInList(@EtchCollection(0) Map<String, Shapes> items) {}

    public record BadInMap(@EtchCollection(0) Map<String, ShapeMap> items) {}

    public record BadInOptional(@EtchCollection(0) Map<String, MaybeShape> items) {}

    public record BadInArray(@EtchCollection(0) Map<String, ShapeArray> items) {}

    public record BadThroughGeneric(@EtchCollection(0) Map<String, ShapePage> items) {}

    public record BadAsValue(@EtchCollection(0) Map<String, Shape> items) {}

    public record Good(@EtchCollection(0) Map<String, Plain> plain, @EtchCollection(1) Map<String, Sketch> sketches,
            @EtchCollection(2) Map<String, Pinned> pinned, @EtchCollection(3) Map<Long, Mark> marks) {}

    @TempDir
    Path dir;

    @Test
    void anInterfaceWithoutTypeInformationFailsTheOpenNamingThePathAndTheFix() {
        assertThatThrownBy(() -> EtchStore.inMemory(Bad.class)).isInstanceOf(EtchSchemaException.class)
                .hasMessageContaining("Bad.drawings")
                .hasMessageContaining("Drawing.shape")
                .hasMessageContaining("interface " + Shape.class.getName())
                .hasMessageContaining("could not open after a restart")
                .hasMessageContaining("@JsonTypeInfo");
    }

    @Test
    void itIsFoundInsideListsMapsOptionalsArraysGenericsAndAsTheValueItself() {
        for (Class<? extends Record> state : List.of(BadInList.class, BadInMap.class, BadInOptional.class,
                BadInArray.class, BadThroughGeneric.class, BadAsValue.class)) {
            assertThatThrownBy(() -> EtchStore.inMemory(state)).as(state.getSimpleName())
                    .isInstanceOf(EtchSchemaException.class).hasMessageContaining(Shape.class.getName());
        }
    }

    @Test
    void typesJacksonReadsBackOpenAndRoundTripThroughAReopen() {
        Plain plain = new Plain("s", 1, 2L, new BigDecimal("3.50"), Instant.parse("2026-11-25T01:02:03Z"),
                List.of("a"), Map.of("k", 1), Set.of(7L), new java.util.TreeMap<>(Map.of("x", List.of(1, 2))),
                Optional.of("n"), new byte[] {9}, "anything", 4, "text", new Page<>(List.of("p"), 1),
                new Node("root", List.of(new Node("leaf", List.of()))));
        Sketch sketch = new Sketch("s", new Line(new Dot(0, 0), new Dot(1, 1)), List.of(new Dot(2, 2)));
        try (EtchStore<Good> store = EtchStore.open(Good.class, dir)) {
            store.write(g -> {
                g.plain().put("p", plain);
                g.sketches().put("s", sketch);
                g.pinned().put("c", new Pinned(new Circle(2)));
                g.marks().put(1L, new Dot(3, 4));
            });
        }
        try (EtchStore<Good> store = EtchStore.open(Good.class, dir)) {
            Good read = store.read();
            assertThat(read.sketches().get("s")).isEqualTo(sketch);
            assertThat(read.pinned().get("c")).isEqualTo(new Pinned(new Circle(2)));
            assertThat(read.marks().get(1L)).isEqualTo(new Dot(3, 4));
            assertThat(read.plain().get("p").tree()).isEqualTo(plain.tree());
            assertThat(read.plain().get("p").amount()).isEqualTo(plain.amount());
        }
    }

    @Test
    void aCodecOnTheApplicationsOwnMapperIsTrustedAsConfigured() {
        // Its mapper may have mix-ins or default typing that make such a type readable.
        assertThatCode(() -> EtchStore.builder(Bad.class)
                .valueCodec(ValueCodec.jackson(tools.jackson.dataformat.cbor.CBORMapper.builder().build()))
                .open().close()).doesNotThrowAnyException();
    }
}
