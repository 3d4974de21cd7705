package dev.etch.spring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.etch.EtchStats;
import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.spring.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class EtchHealthIndicatorTests {

    @TempDir
    Path dir;

    @Test
    void upWithDetails() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
            Health health = new EtchHealthIndicator(store, DataSize.ofMegabytes(1)).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("directory", dir.toAbsolutePath().normalize().toString())
                    .containsEntry("entriesSinceSnapshot", 1L).containsEntry("lastSnapshotAt", "none")
                    .containsEntry("freeDiskThresholdBytes", DataSize.ofMegabytes(1).toBytes())
                    .containsKeys("logBytes", "freeDiskBytes");
            assertThat((Long) health.getDetails().get("logBytes")).isPositive();
        }
    }

    @Test
    void aStoreThatOpenedFromADamagedLogIsUpAndSaysWhatWasCutOff() throws IOException {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
            store.write(lib -> lib.books().put("isbn-2", new Library.Book("Emma", "Austen", 1815)));
        }
        Path wal = dir.resolve("wal.bin");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[bytes.length - 12] ^= 0x5A;
        Files.write(wal, bytes);
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            Health health = new EtchHealthIndicator(store, DataSize.ofMegabytes(1)).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("lastOpen")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .hasEntrySatisfying("discardReason", reason -> assertThat(reason.toString())
                            .startsWith("checksum mismatch"))
                    .containsEntry("cutCopies", List.of(store.replayReport().cutCopies().get(0).toString()))
                    .containsKey("bytesDiscarded");
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(new EtchHealthIndicator(store, DataSize.ofMegabytes(1)).health().getDetails())
                    .as("a clean open has nothing to say").doesNotContainKey("lastOpen");
        }
    }

    /** A closed store is DOWN and says so, though its stats can still be read. */
    @Test
    void downWhenTheStoreIsClosed() {
        EtchStore<Library> store = EtchStore.open(Library.class, dir);
        store.write(lib -> lib.books().put("isbn-1", new Library.Book("Dune", "Herbert", 1965)));
        EtchHealthIndicator indicator = new EtchHealthIndicator(store, DataSize.ofBytes(0));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        store.close();
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the store is closed")
                .containsEntry("directory", dir.toAbsolutePath().normalize().toString());
    }

    /** The same through the starter's wrapper, and for a store in memory. */
    @Test
    void downWhenAWrappedOrInMemoryStoreIsClosed() {
        EtchStore<Library> wrapped = new dev.etch.spring.transaction.TransactionAwareEtchStore<>(
                EtchStore.open(Library.class, dir));
        wrapped.close();
        assertThat(new EtchHealthIndicator(wrapped, DataSize.ofBytes(0)).health().getStatus()).isEqualTo(Status.DOWN);
        EtchStore<Library> inMemory = EtchStore.inMemory(Library.class);
        inMemory.close();
        Health health = new EtchHealthIndicator(inMemory, DataSize.ofBytes(0)).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the store is closed")
                .containsEntry("directory", "in memory");
    }

    @Test
    void downWhenFreeDiskIsBelowTheThreshold() {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            Health health = new EtchHealthIndicator(store, DataSize.ofTerabytes(1_000_000)).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "free disk space is below the threshold");
        }
    }

    @Test
    void downAfterAFailedFlush() {
        @SuppressWarnings("unchecked")
        EtchStore<Library> store = mock(EtchStore.class);
        given(store.directory()).willReturn(Optional.of(dir));
        given(store.stats()).willReturn(new EtchStats(3, List.of(), 100, 3, 2, Optional.empty(),
                Optional.of(new EtchStorageException("fsync failed on wal.bin", new IOException("EIO")))));
        Health health = new EtchHealthIndicator(store, DataSize.ofBytes(0)).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("fsync failed on wal.bin");
    }

    @Test
    void inMemoryStoreIsUp() {
        try (EtchStore<Library> store = EtchStore.inMemory(Library.class)) {
            Health health = new EtchHealthIndicator(store, DataSize.ofMegabytes(64)).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("directory", "in memory").doesNotContainKey("freeDiskBytes");
        }
    }
}
