package dev.etch;

import static dev.etch.SnapshotTest.book;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directories no crash can leave: files lost (a partial restore, a cleanup that went too far)
 * or damaged where only damage can explain it. Opening such a directory either falls back to
 * what is still whole, or fails naming what is missing; it never opens a state that silently
 * lacks acknowledged transactions, and strict recovery never accepts damage.
 */
class LostAndDamagedFilesTest {

    @TempDir
    Path dir;

    private Path segment(long generation) {
        return dir.resolve(String.format("wal-%020d.bin", generation));
    }

    private void writeThreeAroundTwoSnapshots() {
        SnapshotTest.writeThreeAroundTwoSnapshots(dir);
    }

    private static TreeSet<String> keys(EtchStore<Library> store) {
        return new TreeSet<>(store.read().books().keySet());
    }

    /**
     * One flipped bit turns the version byte 3 of an Etch snapshot into etchdb's 1 or 2. The
     * header's checksum shows the file is Etch's, so it is damage like any other: the open
     * falls back to the previous snapshot instead of failing as if it were an etchdb file.
     */
    @ParameterizedTest(name = "version byte 3 flipped to {0}")
    @ValueSource(ints = {1, 2})
    void aDamagedVersionByteInTheNewestSnapshotFallsBackToThePreviousOne(int flipped) throws IOException {
        writeThreeAroundTwoSnapshots();
        Path newest = dir.resolve("snapshot.postcard");
        byte[] bytes = Files.readAllBytes(newest);
        assertThat(bytes[4]).isEqualTo((byte) 3);
        bytes[4] = (byte) flipped;
        Files.write(newest, bytes);

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(keys(store)).containsExactly("first", "second", "third");
            assertThat(store.replayReport().snapshotFallback()).get().asString()
                    .contains("snapshot.postcard is unusable").contains("version byte " + flipped);
        }
        assertThatThrownBy(() -> EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open())
                .isInstanceOf(WalCorruptedException.class).hasMessageContaining("version byte " + flipped);
    }

    /**
     * A segment followed by another had its header synced before the next one existed, so a
     * segment cut down to part of its header is damage, not an interrupted creation: strict
     * recovery refuses it and changes nothing.
     */
    @Test
    void strictRecoveryRefusesAnOlderSegmentCutDownToPartOfItsHeader() throws IOException {
        writeThreeAroundTwoSnapshots();
        Files.delete(dir.resolve("snapshot.postcard")); // open from snapshot.prev: segments 1 and 2
        byte[] damaged = Arrays.copyOf(Files.readAllBytes(segment(1)), 10); // "second" was in it
        Files.write(segment(1), damaged);

        assertThatThrownBy(() -> EtchStore.builder(Library.class).directory(dir).strictRecovery(true).open())
                .isInstanceOf(WalCorruptedException.class).hasMessageContaining("torn header");
        assertThat(Files.readAllBytes(segment(1))).as("a strict open changes nothing").isEqualTo(damaged);
        assertThat(segment(2)).exists();
    }

    /** The same damage opened leniently: the segment after it, built on the lost entry, is set aside. */
    @Test
    void aLenientOpenSetsAsideTheSegmentsAfterAnOlderSegmentCutDownToPartOfItsHeader() throws IOException {
        writeThreeAroundTwoSnapshots();
        Files.delete(dir.resolve("snapshot.postcard"));
        Files.write(segment(1), Arrays.copyOf(Files.readAllBytes(segment(1)), 10));

        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(keys(store)).as("the state stops at the damage").containsExactly("first");
            assertThat(store.replayReport().lostAnything()).isTrue();
        }
        assertThat(dir.resolve(segment(2).getFileName() + ".cut-0")).as("set aside, not deleted").exists();
    }

    /**
     * Both snapshot files gone and the log they replaced retired: opening from segment 1 alone
     * would silently drop "first". The open fails, naming what to restore, as it does when the
     * snapshots are there but unreadable.
     */
    @Test
    void withNoSnapshotAndTheFirstSegmentsRetiredTheOpenFails() throws IOException {
        writeThreeAroundTwoSnapshots();
        assertThat(dir.resolve("wal.bin")).as("segment 0 was retired").doesNotExist();
        Files.delete(dir.resolve("snapshot.postcard"));
        Files.delete(dir.resolve("snapshot.prev"));

        assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("No snapshot in " + dir)
                .hasMessageContaining("Restore snapshot.postcard");
    }

    /**
     * The segment where the log continues after the snapshot is gone, while an older segment
     * is still there (as a crash between a snapshot's two renames leaves it). Replaying the
     * next segment straight onto the snapshot would drop segment 1's transactions.
     */
    @Test
    void aMissingSegmentAtTheSnapshotsCoverFailsTheOpenEvenWithAnOlderSegmentPresent() throws IOException {
        Path keptWal = dir.resolve("kept-wal.copy");
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            store.write(lib -> lib.books().put("first", book(1)));
            store.snapshot(); // cover 1
            store.write(lib -> lib.books().put("second", book(2)));
            Files.copy(dir.resolve("wal.bin"), keptWal);
            store.snapshot(); // cover 2; segment 0 retired
            store.write(lib -> lib.books().put("third", book(3)));
        }
        Files.delete(dir.resolve("snapshot.postcard"));
        Files.move(keptWal, dir.resolve("wal.bin"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(segment(1));

        assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("segment 1 (" + segment(1).getFileName() + ")")
                .hasMessageContaining("is missing");
    }

    /** With nothing after the snapshot's segment, its loss is caught the same way. */
    @Test
    void aMissingSegmentAtTheSnapshotsCoverFailsTheOpen() throws IOException {
        writeThreeAroundTwoSnapshots();
        Files.delete(segment(2)); // "third" was in it

        assertThatThrownBy(() -> EtchStore.open(Library.class, dir))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("segment 2 (" + segment(2).getFileName() + ")")
                .hasMessageContaining("is missing");
    }
}
