package dev.etch.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchException;
import dev.etch.WalCorruptedException;
import dev.etch.codec.postcard.PostcardOutput;
import dev.etch.wal.WalScan.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReaderTests {

    /** Offsets just past the header and each of the three entries of the etchdb test vector. */
    private static final long[] VECTOR_ENDS = {16, 93, 112, 161};

    @TempDir
    Path dir;

    static byte[] etchdbVector() {
        try (InputStream in = WalReaderTests.class.getResourceAsStream("/etchdb/etch-0.3.2-three-commits.wal")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsTheThreeCommitsWrittenByEtchdb() throws IOException {
        Path wal = write(etchdbVector());
        List<List<Op>> entries = new ArrayList<>();
        List<Long> ends = new ArrayList<>();

        WalScan scan = WalReader.scan(wal, (ops, end) -> {
            entries.add(ops);
            ends.add(end);
        });

        assertThat(scan.isClean()).isTrue();
        assertThat(scan.headerPresent()).isTrue();
        assertThat(scan.snapshotSequence()).isZero();
        assertThat(scan.validEnd()).isEqualTo(161).isEqualTo(scan.fileSize());
        assertThat(scan.entries()).isEqualTo(3);
        assertThat(scan.ops()).isEqualTo(4);
        assertThat(ends).containsExactly(93L, 112L, 161L);
        assertThat(entries.get(0)).extracting(op -> text(op.key())).containsExactly("alice", "bob");
        assertThat(entries.get(1)).singleElement().satisfies(op -> {
            assertThat(op.isDelete()).isTrue();
            assertThat(text(op.key())).isEqualTo("bob");
            assertThat(op.collection()).isZero();
        });
        assertThat(entries.get(2)).singleElement().satisfies(op -> assertThat(text(op.key())).isEqualTo("carol"));
    }

    @Test
    void reencodingTheDecodedEntriesGivesTheSameBytes() throws IOException {
        byte[] vector = etchdbVector();
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendHeader(out, 0);
        WalReader.scan(write(vector), (ops, end) -> WalFormat.appendEntry(ops, out));
        assertThat(out.toByteArray()).isEqualTo(vector);
    }

    @Test
    void truncatedAtEveryOffsetKeepsTheWholeEntriesBeforeTheCut() throws IOException {
        byte[] vector = etchdbVector();
        for (int cut = 0; cut <= vector.length; cut++) {
            Path wal = write(Arrays.copyOf(vector, cut));
            WalScan scan = WalReader.scan(wal, (ops, end) -> {});
            long expectedEnd = 0;
            int expectedEntries = -1;
            for (long end : VECTOR_ENDS) {
                if (end <= cut) {
                    expectedEnd = end;
                    expectedEntries++;
                }
            }
            assertThat(scan.validEnd()).as("valid end at cut %d", cut).isEqualTo(expectedEnd);
            assertThat(scan.entries()).as("entries at cut %d", cut).isEqualTo(Math.max(0, expectedEntries));
            // Zeros at the end of a torn entry are not told apart from space the writer reserved
            // (a torn header has no reserved space after it).
            long trailingZeros = 0;
            while (cut >= 16 && cut - trailingZeros > expectedEnd && vector[(int) (cut - trailingZeros - 1)] == 0) {
                trailingZeros++;
            }
            assertThat(scan.zeroTail()).as("zero tail at cut %d", cut).isEqualTo(trailingZeros);
            assertThat(scan.bytesAfterValidEnd()).isEqualTo(cut - expectedEnd - trailingZeros);
            assertThat(scan.isClean()).as("clean at cut %d", cut).isEqualTo(cut == expectedEnd);
            if (cut > 0 && cut < 16) {
                assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.TORN_HEADER);
                assertThat(scan.needsHeader()).isTrue();
            } else if (cut != expectedEnd) {
                assertThat(scan.damage().orElseThrow().kind()).isIn(Kind.SHORT_ENTRY, Kind.LENGTH_BEYOND_FILE);
                assertThat(scan.damage().orElseThrow().offset()).isEqualTo(expectedEnd);
            }
        }
    }

    @Test
    void aFlippedBitInAnEntryIsAChecksumMismatchAndThePrefixIsKept() throws IOException {
        byte[] damaged = etchdbVector();
        damaged[100] ^= 0x04; // inside the payload of the second entry (delete bob)
        List<Op> seen = new ArrayList<>();

        WalScan scan = WalReader.scan(write(damaged), (ops, end) -> seen.addAll(ops));

        assertThat(scan.entries()).isEqualTo(1);
        assertThat(seen).hasSize(2);
        assertThat(scan.validEnd()).isEqualTo(93);
        assertThat(scan.bytesAfterValidEnd()).isEqualTo(161 - 93);
        assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.CHECKSUM_MISMATCH);
        assertThat(scan.damage().orElseThrow().reason()).startsWith("checksum mismatch: stored xxh3 ");
    }

    @Test
    void aFlippedBitInTheChecksumItselfIsAlsoAMismatch() throws IOException {
        byte[] damaged = etchdbVector();
        damaged[160] ^= (byte) 0x80;
        WalScan scan = WalReader.scan(write(damaged), (ops, end) -> {});
        assertThat(scan.entries()).isEqualTo(2);
        assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.CHECKSUM_MISMATCH);
        assertThat(scan.damage().orElseThrow().offset()).isEqualTo(112);
    }

    @Test
    void aGarbageLengthIsNeverAllocated() throws IOException {
        for (int garbage : new int[] {0x7fffffff, 0xffffffff, 0x00100000}) {
            byte[] log = Arrays.copyOf(etchdbVector(), 93 + 20);
            log[93] = (byte) garbage;
            log[94] = (byte) (garbage >>> 8);
            log[95] = (byte) (garbage >>> 16);
            log[96] = (byte) (garbage >>> 24);

            WalScan scan = WalReader.scan(write(log), (ops, end) -> {});

            assertThat(scan.validEnd()).isEqualTo(93);
            assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.LENGTH_BEYOND_FILE);
            assertThat(scan.damage().orElseThrow().reason())
                    .contains("length larger than the rest of the file")
                    .contains(Long.toString(Integer.toUnsignedLong(garbage)))
                    .contains("only 20 bytes remain");
        }
    }

    @Test
    void anEntryWithAGoodChecksumButBadPayloadIsUndecodable() throws IOException {
        byte[] payload = {0x01, 0x05, 0x00, 0x00}; // one op of variant 5
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendHeader(out, 0);
        WalFormat.appendEntry(List.of(Op.delete(1, new byte[] {9})), out);
        long goodEnd = out.size();
        out.writeIntLE(payload.length);
        out.writeRaw(payload, 0, payload.length);
        out.writeLongLE(WalFormat.checksum(payload, 0, payload.length));

        WalScan scan = WalReader.scan(write(out.toByteArray()), (ops, end) -> {});

        assertThat(scan.entries()).isEqualTo(1);
        assertThat(scan.validEnd()).isEqualTo(goodEnd);
        assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.UNDECODABLE_PAYLOAD);
        assertThat(scan.damage().orElseThrow().reason()).contains("unknown op variant 5");
    }

    @Test
    void emptyAndMissingFilesAreNewLogs() throws IOException {
        for (Path wal : List.of(write(new byte[0]), dir.resolve("missing.bin"))) {
            WalScan scan = WalReader.scan(wal, (ops, end) -> {});
            assertThat(scan.isClean()).isTrue();
            assertThat(scan.needsHeader()).isTrue();
            assertThat(scan.validEnd()).isZero();
            assertThat(scan.entries()).isZero();
        }
    }

    @Test
    void aSevenByteFileIsATornCreation() throws IOException {
        Path wal = write(Arrays.copyOf(WalFormat.header(0), 7));
        WalScan scan = WalReader.scan(wal, (ops, end) -> {});
        assertThat(scan.needsHeader()).isTrue();
        assertThat(scan.validEnd()).isZero();
        assertThat(scan.bytesAfterValidEnd()).isEqualTo(7);
        assertThat(scan.damage().orElseThrow().kind()).isEqualTo(Kind.TORN_HEADER);
        assertThat(scan.toCorruptedException()).isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("torn header");
    }

    @Test
    void aShortForeignFileIsNotMistakenForATornLog() throws IOException {
        Path wal = write("hello!!".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> WalReader.scan(wal, (ops, end) -> {}))
                .isInstanceOf(EtchException.class)
                .hasMessageContaining("Not an Etch log")
                .hasMessageContaining(wal.toString());
        assertThat(Files.size(wal)).isEqualTo(7);
    }

    @Test
    void wrongMagicFailsAndLeavesTheFileAlone() throws IOException {
        byte[] log = etchdbVector();
        log[0] = 'X';
        Path wal = write(log);
        assertThatThrownBy(() -> WalReader.scan(wal, (ops, end) -> {}))
                .isInstanceOf(EtchException.class)
                .isNotInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("Not an Etch log: " + wal)
                .hasMessageContaining("58 57 41 4c");
        assertThat(Files.readAllBytes(wal)).isEqualTo(log);
    }

    @Test
    void anotherVersionFailsNamingBothVersions() throws IOException {
        byte[] log = etchdbVector();
        log[4] = 9;
        Path wal = write(log);
        assertThatThrownBy(() -> WalReader.scan(wal, (ops, end) -> {}))
                .isInstanceOf(EtchException.class)
                .hasMessageContaining("Unsupported log version 9 in " + wal)
                .hasMessageContaining("reads log version 3");
    }

    @Test
    void aVisitorFailurePropagatesUnchanged() throws IOException {
        Path wal = write(etchdbVector());
        IllegalStateException boom = new IllegalStateException("value no longer decodes");
        assertThatThrownBy(() -> WalReader.scan(wal, (ops, end) -> {
            if (end == 112) {
                throw boom;
            }
        })).isSameAs(boom);
    }

    @Test
    void truncatingAtTheValidEndLetsTheWriterContinueWithoutAHole() throws IOException {
        byte[] log = Arrays.copyOf(etchdbVector(), 140); // the third entry is torn
        Path wal = write(log);
        WalScan scan = WalReader.scan(wal, (ops, end) -> {});
        assertThat(scan.toCorruptedException().offset()).isEqualTo(112);

        assertThat(WalReader.truncateToValidEnd(scan)).isEqualTo(28);
        assertThat(Files.size(wal)).isEqualTo(112);

        // the writer appends at validEnd
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendEntry(List.of(Op.put(0, "dave".getBytes(StandardCharsets.UTF_8), new byte[] {1})), out);
        Files.write(wal, out.toByteArray(), java.nio.file.StandardOpenOption.APPEND);

        List<String> keys = new ArrayList<>();
        WalScan again = WalReader.scan(wal, (ops, end) -> ops.forEach(op -> keys.add(text(op.key()))));
        assertThat(again.isClean()).isTrue();
        assertThat(again.entries()).isEqualTo(3);
        assertThat(keys).containsExactly("alice", "bob", "bob", "dave");
    }

    @Test
    void zerosAfterTheLastEntryAreReservedSpaceAndTheLogIsClean() throws IOException {
        byte[] vector = etchdbVector();
        for (int zeros : new int[] {1, 3, 4, 12, 200_000}) {
            Path wal = write(Arrays.copyOf(vector, vector.length + zeros));
            WalScan scan = WalReader.scan(wal, (ops, end) -> {});
            assertThat(scan.isClean()).as("%d zeros", zeros).isTrue();
            assertThat(scan.entries()).isEqualTo(3);
            assertThat(scan.validEnd()).isEqualTo(161);
            assertThat(scan.zeroTail()).isEqualTo(zeros);
            assertThat(scan.bytesAfterValidEnd()).isZero();
            assertThat(WalReader.truncateToValidEnd(scan)).isZero();
            assertThat(Files.size(wal)).as("the reserved space stays for the writer").isEqualTo(161 + zeros);
        }
    }

    @Test
    void zerosFollowedByAnythingElseAreDamageAndOnlyTheTrailingZerosAreNotCounted() throws IOException {
        byte[] vector = etchdbVector();
        byte[] log = Arrays.copyOf(vector, vector.length + 5000);
        log[vector.length + 2000] = 7; // a page written out of order after a crash
        Path wal = write(log);
        WalScan scan = WalReader.scan(wal, (ops, end) -> {});
        assertThat(scan.isClean()).isFalse();
        assertThat(scan.validEnd()).isEqualTo(161);
        assertThat(scan.zeroTail()).isEqualTo(2999);
        assertThat(scan.bytesAfterValidEnd()).isEqualTo(2001);
        assertThat(WalReader.truncateToValidEnd(scan)).isEqualTo(2001);
        assertThat(Files.size(wal)).isEqualTo(161);
    }

    @Test
    void aCleanScanTruncatesNothing() throws IOException {
        Path wal = write(etchdbVector());
        assertThat(WalReader.truncateToValidEnd(WalReader.scan(wal, (ops, end) -> {}))).isZero();
        assertThat(Files.size(wal)).isEqualTo(161);
    }

    @Test
    void streamsEntriesLargerThanAndAcrossTheReadWindow() throws IOException {
        Random random = new Random(42);
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendHeader(out, 5);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int size = i == 17 ? 3 << 20 : random.nextInt(200_000); // one entry bigger than the window
            byte[] value = new byte[size];
            random.nextBytes(value);
            values.add(value);
            WalFormat.appendEntry(List.of(Op.put(i % 4, new byte[] {(byte) i}, value)), out);
        }
        Path wal = write(out.toByteArray());
        List<byte[]> read = new ArrayList<>();

        WalScan scan = WalReader.scan(wal, (ops, end) -> read.add(ops.get(0).value()));

        assertThat(scan.isClean()).isTrue();
        assertThat(scan.snapshotSequence()).isEqualTo(5);
        assertThat(read).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(read.get(i)).as("value %d", i).isEqualTo(values.get(i));
        }
    }

    private Path write(byte[] content) throws IOException {
        Path wal = dir.resolve("wal.bin");
        Files.write(wal, content);
        return wal;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
