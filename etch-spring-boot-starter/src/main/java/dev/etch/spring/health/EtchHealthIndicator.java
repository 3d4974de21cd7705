package dev.etch.spring.health;

import dev.etch.EtchClosedException;
import dev.etch.EtchStats;
import dev.etch.EtchStore;
import dev.etch.ReplayReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * The health of one Etch store.
 *
 * <ul>
 *   <li>{@code UP} while its log accepts writes and its disk has at least the threshold free,
 *       with details {@code directory}, {@code logBytes}, {@code entriesSinceSnapshot},
 *       {@code lastSnapshotAt} ("none" before the first snapshot), {@code freeDiskBytes} and
 *       {@code freeDiskThresholdBytes} (the last two only for a store with a directory).</li>
 *   <li>{@code DOWN} with an {@code error} detail while the last log write or fsync has
 *       failed and not been overcome ({@link EtchStats#lastFlushError()}).</li>
 *   <li>{@code DOWN} when the free space of the directory's file system is below the
 *       threshold: snapshots and the log would soon fail.</li>
 *   <li>{@code DOWN} with details {@code directory} and {@code reason} ("the store is
 *       closed") once the store is closed.</li>
 *   <li>{@code DOWN} with the exception when the stats cannot be read.</li>
 * </ul>
 *
 * <p>When the store's open had to give something up ({@link ReplayReport#lostAnything()}: a
 * damaged log tail cut off, a snapshot passed over, operations of an undeclared collection
 * skipped), the status is unchanged (the store works) and a {@code lastOpen} detail says
 * what: {@code bytesDiscarded}, {@code discardReason}, {@code snapshotFallback},
 * {@code skippedOps} and {@code cutCopies}, the files that keep what was cut off.</p>
 */
public class EtchHealthIndicator extends AbstractHealthIndicator {

    private final EtchStore<?> store;
    private final DataSize freeDiskThreshold;

    /**
     * Creates the indicator of a store.
     *
     * @param store the store
     * @param freeDiskThreshold the free space below which the store is reported down
     */
    public EtchHealthIndicator(EtchStore<?> store, DataSize freeDiskThreshold) {
        super("Etch health check failed");
        this.store = Objects.requireNonNull(store, "store");
        this.freeDiskThreshold = Objects.requireNonNull(freeDiskThreshold, "freeDiskThreshold");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Optional<Path> directory = store.directory();
        builder.withDetail("directory", directory.map(d -> d.toAbsolutePath().normalize().toString()).orElse("in memory"));
        try {
            // stats() of a closed store still answers; read() is as cheap and refuses.
            store.read();
        } catch (EtchClosedException e) {
            builder.down().withDetail("reason", "the store is closed");
            return;
        }
        EtchStats stats = store.stats();
        builder.withDetail("logBytes", stats.logBytes())
                .withDetail("entriesSinceSnapshot", stats.entriesSinceSnapshot())
                .withDetail("lastSnapshotAt", stats.lastSnapshotAt().map(Object::toString).orElse("none"));
        ReplayReport report = store.replayReport();
        if (report != null && report.lostAnything()) {
            Map<String, Object> lastOpen = new LinkedHashMap<>();
            lastOpen.put("bytesDiscarded", report.bytesDiscarded());
            report.discardReason().ifPresent(reason -> lastOpen.put("discardReason", reason));
            report.snapshotFallback().ifPresent(reason -> lastOpen.put("snapshotFallback", reason));
            if (!report.skippedOpsByCollection().isEmpty()) {
                lastOpen.put("skippedOps", report.skippedOpsByCollection());
            }
            lastOpen.put("cutCopies", report.cutCopies().stream().map(Path::toString).toList());
            builder.withDetail("lastOpen", lastOpen);
        }
        boolean diskLow = false;
        if (directory.isPresent()) {
            long free = Files.getFileStore(directory.get()).getUsableSpace();
            builder.withDetail("freeDiskBytes", free).withDetail("freeDiskThresholdBytes", freeDiskThreshold.toBytes());
            diskLow = free < freeDiskThreshold.toBytes();
        }
        if (stats.lastFlushError().isPresent()) {
            builder.down(stats.lastFlushError().get());
        } else if (diskLow) {
            builder.down().withDetail("reason", "free disk space is below the threshold");
        } else {
            builder.up();
        }
    }
}
