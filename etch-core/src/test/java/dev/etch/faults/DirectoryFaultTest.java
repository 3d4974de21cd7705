package dev.etch.faults;

import static dev.etch.faults.TestStores.book;
import static dev.etch.faults.TestStores.books;
import static dev.etch.faults.TestStores.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.Library;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The data directory cannot be created, written or started: open fails, naming the path. */
class DirectoryFaultTest extends OnAFaultyDisk {

    @Override
    String storePath() {
        return "parent/store";
    }

    @Test
    void aDirectoryThatCannotBeCreatedFailsTheOpenNamingIt() {
        Fault denied = disk.on(FileOperation.CREATE_DIRECTORY, "store")
                .failingWith(path -> new AccessDeniedException(path.toString())).untilDisarmed();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("Cannot create data directory " + tempDir.resolve("parent/store"))
                .hasCauseInstanceOf(AccessDeniedException.class);
        denied.disarm();
        opensAndWrites();
    }

    @Test
    void aDirectoryThatIsNotWritableFailsTheOpenNamingIt() {
        Fault readOnly = disk.on(FileOperation.CHECK_WRITABLE, "store")
                .failingWith(path -> new AccessDeniedException(path.toString())).untilDisarmed();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("Data directory " + tempDir.resolve("parent/store") + " is not writable");
        readOnly.disarm();
        opensAndWrites();
    }

    @Test
    void aLockFileThatCannotBeCreatedFailsTheOpenNamingTheDirectory() {
        disk.on(FileOperation.CREATE, ".lock").noSpace().once();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("Cannot lock data directory")
                .hasMessageContaining("store")
                .cause().hasMessage(Fault.NO_SPACE);
        opensAndWrites();
    }

    @Test
    void aDiskFullWhenTheFirstLogIsStartedFailsTheOpenAndReleasesTheDirectory() {
        disk.on(FileOperation.WRITE, "wal.bin").noSpace().once();
        assertThatThrownBy(() -> open(dir, FlushPolicy.grouped(java.time.Duration.ofMillis(5))))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("Cannot open the log " + tempDir.resolve("parent/store/wal.bin"))
                .cause().hasMessage(Fault.NO_SPACE);
        // The lock was released, so this process can open it again at once.
        opensAndWrites();
    }

    @Test
    void aDiskFullWhileKeepingADamagedTailFailsTheOpenAndCutsNothing() throws IOException {
        Path wal = tempDir.resolve("parent/store/wal.bin");
        byte[] damaged = writeTwoAndDamageTheSecond(wal);

        disk.on(FileOperation.CREATE, "wal.bin.cut-*").noSpace().once();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class)
                .hasMessageContaining("Cannot keep a copy of the")
                .hasMessageContaining("nothing was cut off");
        assertThat(Files.readAllBytes(wal)).as("the damaged log is untouched").isEqualTo(damaged);

        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a");
            assertThat(store.replayReport().cutCopies()).hasSize(1);
        }
    }

    /** A disk full in the middle of the copy: the partial copy is removed, not left under the copy's name. */
    @Test
    void aDiskFullHalfWayThroughTheCopyLeavesNoPartialCopy() throws IOException {
        writeTwoAndDamageTheSecond(tempDir.resolve("parent/store/wal.bin"));

        disk.on(FileOperation.WRITE, "wal.bin.cut-*").noSpace().partially().once();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class).hasMessageContaining("nothing was cut off");
        assertThat(cutFiles()).as("no partial copy").isEmpty();

        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a");
            Path copy = store.replayReport().cutCopies().get(0);
            assertThat(cutFiles()).containsExactly(copy.getFileName().toString());
        }
    }

    /**
     * Damage in an older segment: the segments after it, built on what it hides, are set aside
     * before the damaged one is cut. When setting them aside fails, the damaged segment is
     * left as it was, so the next open does not find a clean log followed by segments that
     * must not be replayed.
     */
    @Test
    void whenTheLaterSegmentsCannotBeSetAsideTheDamagedOneIsNotCutEither() throws IOException {
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).snapshotEvery(0).open()) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.write(lib -> lib.books().put("b", book("b")));
            store.snapshot(); // the log continues in segment 1
            store.write(lib -> lib.books().put("c", book("c")));
            store.write(lib -> lib.books().put("d", book("d")));
        }
        Path root = tempDir.resolve("parent/store");
        Files.delete(root.resolve("snapshot.postcard")); // replay from segment 0 again
        Path wal = root.resolve("wal.bin");
        byte[] damaged = Files.readAllBytes(wal);
        damaged[damaged.length - 1] ^= 1; // the checksum of "b"'s entry
        Files.write(wal, damaged);

        disk.on(FileOperation.MOVE, "wal-*.bin").once();
        assertThatThrownBy(() -> open(dir, FlushPolicy.immediate()))
                .isInstanceOf(EtchStorageException.class).hasMessageContaining("Cannot set log segment");
        assertThat(Files.readAllBytes(wal)).as("the damaged segment is not cut yet").isEqualTo(damaged);

        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).as("c and d were built on the lost b").containsExactly("a");
            assertThat(store.replayReport().lostAnything()).isTrue();
        }
    }

    /** Writes "a" and "b", then flips a byte inside b's entry; returns the damaged log's bytes. */
    private byte[] writeTwoAndDamageTheSecond(Path wal) throws IOException {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.write(lib -> lib.books().put("b", book("b")));
        }
        byte[] damaged = Files.readAllBytes(wal);
        damaged[damaged.length - 12] ^= 0x5A; // inside the last entry's payload
        Files.write(wal, damaged);
        return damaged;
    }

    private java.util.List<String> cutFiles() throws IOException {
        try (var files = Files.list(tempDir.resolve("parent/store"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".cut-")).sorted().toList();
        }
    }

    private void opensAndWrites() {
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            store.write(lib -> lib.books().put("a", book("a")));
        }
        try (EtchStore<Library> store = open(dir, FlushPolicy.immediate())) {
            assertThat(books(store)).containsExactly("a");
        }
    }
}
