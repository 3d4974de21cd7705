package dev.etch.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.EtchStore;
import dev.etch.Library;
import dev.etch.Library.Book;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault-injecting file layer itself: transparent when nothing is armed, exact when something is. */
class FaultyFileSystemTests {

    @TempDir
    Path tempDir;

    @Test
    void aStoreRunsOnItUnchangedWhenNoFaultIsArmed() throws IOException {
        Path dir = FaultyFileSystem.wrap(tempDir).resolve("store");
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).open()) {
            store.write(lib -> lib.books().put("a", new Book("Dune", "Herbert", 1965)));
            store.snapshot();
            store.write(lib -> lib.books().put("b", new Book("Emma", "Austen", 1815)));
        }
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).open()) {
            assertThat(store.read().books()).containsOnlyKeys("a", "b");
        }
        // Real files on disk, readable without the wrapper.
        assertThat(Files.exists(tempDir.resolve("store/snapshot.postcard"))).isTrue();
        try (EtchStore<Library> store = EtchStore.open(Library.class, tempDir.resolve("store"))) {
            assertThat(store.read().books()).containsOnlyKeys("a", "b");
        }
    }

    @Test
    void anArmedFaultFailsOnlyTheMatchingCallsAndOnlyAsOftenAsArmed() throws IOException {
        Path dir = FaultyFileSystem.wrap(tempDir);
        FaultyFileSystem disk = FaultyFileSystem.of(dir);
        Fault full = disk.on(FileOperation.WRITE, "*.bin").noSpace().after(1).times(2);
        try (FileChannel other = FileChannel.open(dir.resolve("x.txt"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileChannel log = FileChannel.open(dir.resolve("wal.bin"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
            other.write(ByteBuffer.wrap(new byte[] {1}));
            log.write(ByteBuffer.wrap(new byte[] {1}));
            assertThatThrownBy(() -> log.write(ByteBuffer.wrap(new byte[] {2}))).hasMessage(Fault.NO_SPACE);
            assertThatThrownBy(() -> log.write(ByteBuffer.wrap(new byte[] {2}))).hasMessage(Fault.NO_SPACE);
            log.write(ByteBuffer.wrap(new byte[] {3}));
        }
        assertThat(full.hits()).isEqualTo(2);
        assertThat(full.armed()).isFalse();
        assertThat(Files.readAllBytes(tempDir.resolve("wal.bin"))).containsExactly(1, 3);

        Fault rename = disk.on(FileOperation.MOVE, "y.txt").untilDisarmed();
        assertThatThrownBy(() -> Files.move(dir.resolve("x.txt"), dir.resolve("y.txt"),
                StandardCopyOption.ATOMIC_MOVE)).hasMessage(Fault.IO_ERROR);
        rename.disarm();
        Files.move(dir.resolve("x.txt"), dir.resolve("y.txt"), StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("wal.bin", "y.txt");
        assertThat(Map.of("k", Files.list(dir).findFirst().orElseThrow().getFileSystem()))
                .containsValue(disk);
    }

    @Test
    void aFailedFsyncThatLosesUnsyncedWritesLeavesZerosWhereTheyWere() throws IOException {
        Path dir = FaultyFileSystem.wrap(tempDir);
        FaultyFileSystem.of(dir).on(FileOperation.FORCE, "wal.bin").losingUnsyncedWrites().after(1).once();
        try (FileChannel log = FileChannel.open(dir.resolve("wal.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            log.write(ByteBuffer.wrap(new byte[] {1, 1}), 0);
            log.force(false);
            log.write(ByteBuffer.wrap(new byte[] {2, 2}), 2);
            assertThatThrownBy(() -> log.force(false)).hasMessage(Fault.IO_ERROR);
        }
        assertThat(Files.readAllBytes(tempDir.resolve("wal.bin"))).containsExactly(1, 1, 0, 0);
    }
}
