package dev.etch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etch.ValueCodec;
import java.lang.reflect.AnnotatedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The default Jackson codec creates records through {@link RecordConstructors}: the same
 * values, and the same failures, as Jackson's own instantiation. It writes through reused
 * generators: the same bytes as {@code writeValueAsBytes}, whatever came before.
 */
class JacksonValueCodecTests {

    record Author(String name, int born) {}

    record Book(String title, long isbn, boolean available, double price, Author author, List<String> tags,
            Map<String, Integer> ratings, Optional<String> subtitle, byte[] cover) {}

    /** A record that validates in its compact constructor. */
    record Isbn(long value) {
        Isbn {
            if (value <= 0) {
                throw new IllegalArgumentException("ISBN must be positive, was " + value);
            }
        }
    }

    /** The same shape without validation, to write what {@link Isbn} refuses to read. */
    record RawIsbn(long value) {}

    private static <V> ValueCodec.Binding<V> bind(ValueCodec codec, Class<V> type) {
        return codec.bind(new TypeOnly(type));
    }

    @Test
    void recordsRoundTripWithEveryKindOfComponent() {
        ValueCodec.Binding<Book> books = bind(JacksonValueCodec.cbor(), Book.class);
        Book book = new Book("Dune", 9_780_441_013_593L, true, 9.99, new Author("Frank Herbert", 1920),
                List.of("sf", "classic"), Map.of("alice", 5, "bob", 4), Optional.of("Book one"), new byte[] {1, 2, 3});

        byte[] bytes = books.encode(book);
        Book decoded = books.decode(bytes, 0, bytes.length);

        assertThat(decoded).usingRecursiveComparison().ignoringFields("cover").isEqualTo(book);
        assertThat(decoded.cover()).containsExactly(1, 2, 3);
    }

    @Test
    void aConstructorThatThrowsFailsAsWithJacksonsOwnInstantiatorAndThroughTheSpreadHandle() {
        byte[] invalid = bind(JacksonValueCodec.cbor(), RawIsbn.class).encode(new RawIsbn(-1));

        Throwable ours = catchThrowable(() -> bind(JacksonValueCodec.cbor(), Isbn.class).decode(invalid, 0, invalid.length));
        Throwable jacksons = catchThrowable(() -> CBORMapper.builder().build().readValue(invalid, Isbn.class));

        assertThat(jacksons).isNotNull();
        assertThat(ours).isExactlyInstanceOf(jacksons.getClass()).hasMessage(jacksons.getMessage());
        assertThat(ours.getCause()).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ISBN must be positive, was -1");
        assertThat(Arrays.stream(ours.getStackTrace()).map(StackTraceElement::getClassName))
                .as("the default codec's records are created by RecordConstructors")
                .anyMatch(name -> name.startsWith(RecordConstructors.class.getName()));
        assertThat(Arrays.stream(jacksons.getStackTrace()).map(StackTraceElement::getClassName))
                .noneMatch(name -> name.startsWith(RecordConstructors.class.getName()));
    }

    @Test
    void aCodecOnTheApplicationsOwnMapperReadsRecordsTheSameWayAndWritesWithTheMapperAsGiven() {
        JsonMapper mine = JsonMapper.builder().build();
        ValueCodec codec = ValueCodec.jackson(mine);
        ValueCodec.Binding<RawIsbn> raw = bind(codec, RawIsbn.class);
        byte[] invalid = raw.encode(new RawIsbn(-1));
        assertThat(new String(invalid, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"value\":-1}");

        Throwable ours = catchThrowable(() -> bind(codec, Isbn.class).decode(invalid, 0, invalid.length));
        Throwable jacksons = catchThrowable(() -> mine.readValue(invalid, Isbn.class));
        assertThat(ours).isExactlyInstanceOf(jacksons.getClass()).hasMessage(jacksons.getMessage());
        assertThat(Arrays.stream(ours.getStackTrace()).map(StackTraceElement::getClassName))
                .anyMatch(name -> name.startsWith(RecordConstructors.class.getName()));
        byte[] valid = raw.encode(new RawIsbn(7));
        assertThat(bind(codec, Isbn.class).decode(valid, 0, valid.length)).isEqualTo(new Isbn(7));
    }

    @Test
    void aMapperSubclassThatCannotBeRebuiltIsUsedAsGiven() {
        @SuppressWarnings("serial")
        ObjectMapper subclass = new ObjectMapper() {};
        ValueCodec.Binding<Isbn> isbns = bind(ValueCodec.jackson(subclass), Isbn.class);
        byte[] bytes = isbns.encode(new Isbn(42));
        assertThat(isbns.decode(bytes, 0, bytes.length)).isEqualTo(new Isbn(42));
    }

    @Test
    void validRecordsStillPassTheirConstructor() {
        ValueCodec.Binding<Isbn> isbns = bind(JacksonValueCodec.cbor(), Isbn.class);
        byte[] bytes = isbns.encode(new Isbn(42));
        assertThat(isbns.decode(bytes, 0, bytes.length)).isEqualTo(new Isbn(42));
    }

    /** A record whose second accessor throws for one value, half-way through writing it. */
    record Fragile(String name, String note) {
        @Override
        public String note() {
            if (name.equals("boom")) {
                throw new IllegalStateException("note of boom cannot be read");
            }
            return note;
        }
    }

    private static Book book(int i, int coverBytes) {
        byte[] cover = new byte[coverBytes];
        Arrays.fill(cover, (byte) i);
        return new Book("Title " + i + " \u00e9\u4e16", i * 1_000_003L, i % 2 == 0, i / 7.0,
                new Author("Author " + i, 1900 + i % 100), List.of("t" + i, "u" + i), Map.of("r" + i, i),
                i % 3 == 0 ? Optional.empty() : Optional.of("sub " + i), cover);
    }

    @Test
    void theDefaultCodecWritesEveryValueAsWriteValueAsBytesDoesWhateverCameBefore() {
        ValueCodec.Binding<Book> books = bind(JacksonValueCodec.cbor(), Book.class);
        var reference = CBORMapper.builder().build().writerFor(Book.class);
        // Small values, then values larger than the generator's and the buffer's first block,
        // then small ones again: nothing of an earlier value leaks into a later one.
        int[] coverSizes = {0, 3, 70_000, 1, 300_000, 0, 17};
        for (int i = 0; i < 200; i++) {
            Book book = book(i, coverSizes[i % coverSizes.length]);
            byte[] bytes = books.encode(book);
            assertThat(bytes).isEqualTo(reference.writeValueAsBytes(book));
            Book decoded = books.decode(bytes, 0, bytes.length);
            assertThat(decoded.cover()).isEqualTo(book.cover());
            assertThat(decoded.title()).isEqualTo(book.title());
        }
    }

    @Test
    void aValueThatFailsHalfWrittenLeavesNothingBehindForTheNextValue() {
        ValueCodec.Binding<Fragile> values = bind(JacksonValueCodec.cbor(), Fragile.class);
        var reference = CBORMapper.builder().build().writerFor(Fragile.class);
        Fragile before = new Fragile("before", "fine");
        Fragile after = new Fragile("after", "also fine");

        assertThat(values.encode(before)).isEqualTo(reference.writeValueAsBytes(before));
        Throwable failure = catchThrowable(() -> values.encode(new Fragile("boom", "x")));
        byte[] bytes = values.encode(after);

        assertThat(failure).hasRootCauseMessage("note of boom cannot be read");
        assertThat(bytes).isEqualTo(reference.writeValueAsBytes(after));
        assertThat(values.decode(bytes, 0, bytes.length)).isEqualTo(after);
    }

    @Test
    void threadsWritingAtOnceEachGetTheirOwnValuesBytes() throws Exception {
        ValueCodec.Binding<Book> books = bind(JacksonValueCodec.cbor(), Book.class);
        var reference = CBORMapper.builder().build().writerFor(Book.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(() -> {
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        Book book = book(thread * 10_000 + i, i % 50 == 0 ? 20_000 : i % 5);
                        assertThat(books.encode(book)).isEqualTo(reference.writeValueAsBytes(book));
                        checked++;
                    }
                    return checked;
                });
            }
            for (Future<Integer> done : pool.invokeAll(tasks)) {
                assertThat(done.get()).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** An annotated type that is just the class, as a record component without annotations is. */
    private record TypeOnly(Class<?> type) implements AnnotatedType {
        @Override
        public java.lang.reflect.Type getType() {
            return type;
        }

        @Override
        public <A extends java.lang.annotation.Annotation> A getAnnotation(Class<A> annotationClass) {
            return null;
        }

        @Override
        public java.lang.annotation.Annotation[] getAnnotations() {
            return new java.lang.annotation.Annotation[0];
        }

        @Override
        public java.lang.annotation.Annotation[] getDeclaredAnnotations() {
            return new java.lang.annotation.Annotation[0];
        }
    }
}
