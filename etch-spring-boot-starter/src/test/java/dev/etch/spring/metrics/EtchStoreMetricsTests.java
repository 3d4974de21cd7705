package dev.etch.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Library;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtchStoreMetricsTests {

    @Test
    void listenerEventsFeedTheTimersSummariesAndCounter() {
        try (EtchStore<Library> store = EtchStore.inMemory(Library.class)) {
            EtchStoreMetrics metrics = new EtchStoreMetrics("library", () -> store);
            MeterRegistry registry = new SimpleMeterRegistry();
            metrics.bindTo(registry);
            metrics.committed(Duration.ofMillis(3), 2);
            metrics.synced(Duration.ofMillis(1), 4);
            metrics.snapshotWritten(Duration.ofMillis(20), 4096, 10);
            metrics.logFailed(new IOException("disk full"));
            assertThat(registry.get("etch.commit.latency").tag("store", "library").timer().count()).isEqualTo(1);
            assertThat(registry.get("etch.fsync.latency").tag("store", "library").timer().count()).isEqualTo(1);
            assertThat(registry.get("etch.fsync.commits").tag("store", "library").summary().totalAmount()).isEqualTo(4);
            assertThat(registry.get("etch.snapshot.duration").tag("store", "library").timer().totalTime(
                    java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(20);
            assertThat(registry.get("etch.snapshot.size").tag("store", "library").summary().totalAmount()).isEqualTo(4096);
            assertThat(registry.get("etch.snapshot.size").tag("store", "library").summary().getId().getBaseUnit())
                    .isEqualTo("bytes");
            assertThat(registry.get("etch.flush.errors").tag("store", "library").counter().count()).isEqualTo(1);
            assertThat(registry.get("etch.log.size").tag("store", "library").gauge().getId().getBaseUnit())
                    .isEqualTo("bytes");
        }
    }

    @Test
    void eventsBeforeBindingAreIgnoredAndAClosedStoreReadsAsNaN() {
        EtchStore<Library> store = EtchStore.inMemory(Library.class);
        EtchStoreMetrics metrics = new EtchStoreMetrics("library", () -> store);
        metrics.committed(Duration.ofMillis(3), 1);
        MeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        assertThat(registry.get("etch.commit.latency").timer().count()).isZero();
        store.close();
        assertThat(registry.get("etch.collection.records").tag("collection", "books").gauge().value())
                .satisfiesAnyOf(v -> assertThat(v).isNaN(), v -> assertThat(v).isZero());
    }
}
