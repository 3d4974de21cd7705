package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.Library.Book;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of damage to a real log file, opened leniently (the valid prefix is kept and
 * the report says why) and strictly (nothing is discarded, the open fails with the offset).
 */
class StrictRecoveryTest {

    @TempDir
    Path dir;

    static Stream<Arguments> damage() {
        return Stream.of(
                Arguments.of("torn tail", (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length - 5)),
                Arguments.of("flipped byte in the last entry", (UnaryOperator<byte[]>) b -> flip(b, b.length - 15)),
                Arguments.of("flipped checksum byte", (UnaryOperator<byte[]>) b -> flip(b, b.length - 1)),
                Arguments.of("garbage length field", (UnaryOperator<byte[]>) b -> garbageLength(b)),
                Arguments.of("garbage in place of the last entry", (UnaryOperator<byte[]>) b ->
                        append(Arrays.copyOf(b, endOfSecond(b)), new byte[] {1, 2, 3, 4, 5, 6, 7})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damage")
    void damageIsCutLenientlyAndRefusedStrictly(String kind, UnaryOperator<byte[]> damage) throws IOException {
        byte[] whole = writeThreeCommits();
        long secondEnd = endOfSecondEntry();
        Path wal = dir.resolve("wal.bin");
        byte[] damaged = damage.apply(whole.clone());
        Files.write(wal, damaged);

        assertThatThrownBy(() -> EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open())
                .as(kind).isInstanceOf(WalCorruptedException.class)
                .satisfies(e -> assertThat(((WalCorruptedException) e).offset()).isEqualTo(secondEnd));
        assertThat(Files.readAllBytes(wal)).as("strict open changed nothing").isEqualTo(damaged);

        Path copy = dir.resolve("wal.bin.cut-" + secondEnd);
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).as(kind).containsOnlyKeys("a", "b");
            assertThat(store.replayReport().discardedAtOffset()).isEqualTo(secondEnd);
            assertThat(store.replayReport().bytesDiscarded()).isEqualTo(damaged.length - secondEnd);
            assertThat(store.replayReport().discardReason()).isPresent();
            assertThat(store.replayReport().cutCopies()).containsExactly(copy);
        }
        assertThat(Files.size(wal)).isEqualTo(secondEnd);
        assertThat(Files.readAllBytes(copy)).as("what was cut off is kept, byte for byte")
                .isEqualTo(Arrays.copyOfRange(damaged, (int) secondEnd, damaged.length));
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).as("the copy is never read back").containsOnlyKeys("a", "b");
            assertThat(store.replayReport().lostAnything()).isFalse();
            assertThat(store.replayReport().cutCopies()).isEmpty();
        }
        assertThat(copy).as("nor deleted").exists();
    }

    @Test
    void segmentsAfterADamagedOneAreSetAsideWholeNotDeleted() throws IOException {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0)
                .snapshotLogSize(0).open()) {
            store.write(lib -> lib.books().put("a", new Book("A", "x", 1)));
            store.snapshot(); // the log continues in segment 1
            store.write(lib -> lib.books().put("b", new Book("B", "y", 2)));
            store.write(lib -> lib.books().put("b2", new Book("B", "y", 2)));
            store.snapshot(); // the first snapshot becomes the previous one; the log continues in segment 2
            store.write(lib -> lib.books().put("c", new Book("C", "z", 3)));
        }
        Path segment1 = dir.resolve(String.format("wal-%020d.bin", 1));
        Path segment2 = dir.resolve(String.format("wal-%020d.bin", 2));
        byte[] segment2Bytes = Files.readAllBytes(segment2);
        // The newest snapshot is unreadable, so the open falls back to the previous one and
        // replays segments 1 and 2; segment 1's second entry is damaged.
        Path snapshot = dir.resolve("snapshot.postcard");
        Files.write(snapshot, flip(Files.readAllBytes(snapshot), 40));
        byte[] log1 = Files.readAllBytes(segment1);
        int secondEnd = endOfSecond(log1);
        int firstEnd = 16 + 4 + ByteBuffer.wrap(log1).order(ByteOrder.LITTLE_ENDIAN).getInt(16) + 8;
        Files.write(segment1, flip(log1, secondEnd - 10));

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a", "b");
            ReplayReport report = store.replayReport();
            assertThat(report.snapshotFallback()).isPresent();
            // The later segment is set aside first, then the damaged one cut.
            assertThat(report.cutCopies()).containsExactly(
                    dir.resolve(segment2.getFileName() + ".cut-0"),
                    dir.resolve(segment1.getFileName() + ".cut-" + firstEnd));
        }
        assertThat(segment2).doesNotExist();
        assertThat(Files.readAllBytes(dir.resolve(segment2.getFileName() + ".cut-0"))).isEqualTo(segment2Bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void aLogOfAnotherVersionOrFormatFailsEvenLeniently(String kind, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("wal.bin"), content);
        assertThatThrownBy(() -> EtchStore.open(Library.class, dir)).as(kind).isInstanceOf(EtchException.class)
                .hasMessageContaining("wal.bin");
        assertThat(Files.readAllBytes(dir.resolve("wal.bin"))).isEqualTo(content);
    }

    static Stream<Arguments> unreadable() {
        byte[] otherVersion = {'E', 'W', 'A', 'L', 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] notALog = "this is not a write-ahead log at all".getBytes();
        return Stream.of(Arguments.of("version 4", otherVersion), Arguments.of("foreign file", notALog));
    }

    @ParameterizedTest(name = "strict={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anEmptyLogFileIsANewLog(boolean strict) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("wal.bin"), new byte[0]);
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).strictRecovery(strict).open()) {
            assertThat(store.read().books()).isEmpty();
            store.write(lib -> lib.books().put("a", new Book("A", "B", 1)));
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsOnlyKeys("a");
        }
    }

    private byte[] writeThreeCommits() throws IOException {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("a", new Book("A", "x", 1)));
            store.write(lib -> lib.books().put("b", new Book("B", "y", 2)));
            store.write(lib -> lib.books().put("c", new Book("C", "z", 3)));
        }
        return Files.readAllBytes(dir.resolve("wal.bin"));
    }

    private long endOfSecondEntry() throws IOException {
        return endOfSecond(Files.readAllBytes(dir.resolve("wal.bin")));
    }

    /** Walks the length fields after the 16-byte header to find where the second entry ends. */
    private static int endOfSecond(byte[] log) {
        ByteBuffer buffer = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
        int at = 16;
        for (int entry = 0; entry < 2; entry++) {
            at += 4 + buffer.getInt(at) + 8;
        }
        return at;
    }

    private static byte[] flip(byte[] bytes, int index) {
        bytes[index] ^= 0x5A;
        return bytes;
    }

    private static byte[] garbageLength(byte[] bytes) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(endOfSecond(bytes), 0x7FFF_FFF0);
        return bytes;
    }

    private static byte[] append(byte[] bytes, byte[] extra) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + extra.length);
        System.arraycopy(extra, 0, out, bytes.length, extra.length);
        return out;
    }
}
