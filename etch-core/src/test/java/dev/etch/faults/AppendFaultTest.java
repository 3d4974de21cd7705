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
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The disk fills up while the log is appended to. */
class AppendFaultTest extends OnAFaultyDisk {

    @ParameterizedTest
    @MethodSource("dev.etch.faults.TestStores#policies")
    void aWriteThatFindsTheDiskFullFailsAloneAndWritesSucceedOnceSpaceReturns(FlushPolicy policy) {
        try (EtchStore<Library> store = open(dir, policy)) {
            store.write(lib -> lib.books().put("a", book("a")));
            Fault full = disk.on(FileOperation.WRITE, "wal*.bin").noSpace().partially().untilDisarmed();

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("Nothing of this transaction was written or applied")
                    .cause().isInstanceOf(IOException.class).hasMessage(Fault.NO_SPACE);
            assertThat(books(store)).containsExactly("a");
            assertThatThrownBy(() -> store.write(lib -> lib.books().put("c", book("c"))))
                    .isInstanceOf(EtchStorageException.class);
            assertThat(books(store)).containsExactly("a");

            full.disarm();
            store.write(lib -> lib.books().put("d", book("d")));
            store.flush();
            assertThat(books(store)).containsExactly("a", "d");
            assertThat(store.stats().lastFlushError()).isEmpty();
        }
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).containsExactly("a", "d");
            // The half-written entries were cut back at once, not left for replay to find.
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.etch.faults.TestStores#policies")
    void whenTheHalfWrittenEntryCannotBeCutBackTheStoreRefusesWritesUntilReopened(FlushPolicy policy)
            throws IOException {
        long durableBytes;
        try (EtchStore<Library> store = open(dir, policy)) {
            store.write(lib -> lib.books().put("a", book("a")));
            store.flush();
            durableBytes = store.stats().logBytes();
            disk.on(FileOperation.WRITE, "wal*.bin").noSpace().partially().once();
            disk.on(FileOperation.TRUNCATE, "wal*.bin").untilDisarmed();

            assertThatThrownBy(() -> store.write(lib -> lib.books().put("b", book("b"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("refuses writes until it is reopened");
            disk.disarmAll();
            assertThatThrownBy(() -> store.write(lib -> lib.books().put("c", book("c"))))
                    .isInstanceOf(EtchStorageException.class)
                    .hasMessageContaining("refuses writes until it is reopened");
            assertThat(books(store)).containsExactly("a");
            assertThat(store.stats().lastFlushError()).isPresent();
        }
        // Closing cut the half-written entry off once the disk allowed it again.
        assertThat(Files.size(dir.resolve("wal.bin"))).isEqualTo(durableBytes);
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).containsExactly("a");
            assertThat(store.replayReport().lostAnything()).isFalse();
            store.write(lib -> lib.books().put("e", book("e")));
        }
        try (EtchStore<Library> store = open(dir, policy)) {
            assertThat(books(store)).containsExactly("a", "e");
        }
    }
}
