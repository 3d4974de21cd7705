package dev.etch.spring.metrics;

import dev.etch.EtchListener;
import dev.etch.EtchStats;
import dev.etch.EtchStore;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of one Etch store, every one tagged {@code store=<name>}. Gauges and
 * function counters read {@link EtchStore#stats()} when the registry asks; timers and
 * summaries are fed by this object as the store's {@link EtchListener}, so it must be
 * registered on the store's builder before the store opens for them to move.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@code etch.log.size}</td><td>gauge, bytes</td><td>size of the write-ahead log</td></tr>
 *   <tr><td>{@code etch.log.entries.since.snapshot}</td><td>gauge</td><td>log entries since the last snapshot</td></tr>
 *   <tr><td>{@code etch.commits}</td><td>function counter</td><td>transactions committed since open</td></tr>
 *   <tr><td>{@code etch.fsyncs}</td><td>function counter</td><td>fsyncs of the log since open</td></tr>
 *   <tr><td>{@code etch.collection.records}</td><td>gauge, tag {@code collection}</td><td>records per collection</td></tr>
 *   <tr><td>{@code etch.commit.latency}</td><td>timer</td><td>write start (lock wait included) to acknowledgement</td></tr>
 *   <tr><td>{@code etch.fsync.latency}</td><td>timer</td><td>duration of each log fsync</td></tr>
 *   <tr><td>{@code etch.fsync.commits}</td><td>distribution summary</td><td>commits made durable per fsync</td></tr>
 *   <tr><td>{@code etch.snapshot.duration}</td><td>timer</td><td>time to write a snapshot</td></tr>
 *   <tr><td>{@code etch.snapshot.size}</td><td>distribution summary, bytes</td><td>size of each snapshot written</td></tr>
 *   <tr><td>{@code etch.flush.errors}</td><td>counter</td><td>failed log writes or fsyncs</td></tr>
 * </table>
 *
 * <p>Events that arrive before {@link #bindTo} are not recorded; the stats-based meters are
 * exact regardless. A failure to read the stats (a closed store) reads as {@code NaN}.
 */
public class EtchStoreMetrics implements MeterBinder, EtchListener {

    private final String storeName;
    private final Supplier<? extends EtchStore<?>> store;
    private final List<BoundMeters> bound = new CopyOnWriteArrayList<>();

    /**
     * Creates the meters of a store, to be bound to registries later.
     *
     * @param storeName the value of the {@code store} tag
     * @param store supplies the store when a gauge is read; called lazily, so the store may
     *     open after this object is created (it is usually its listener)
     */
    public EtchStoreMetrics(String storeName, Supplier<? extends EtchStore<?>> store) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Registers the store's meters; reads the store's collections once to create one
     * {@code etch.collection.records} gauge per collection.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("store", storeName);
        gauge(registry, "etch.log.size", "Size of the write-ahead log", BaseUnits.BYTES, tags, EtchStats::logBytes);
        gauge(registry, "etch.log.entries.since.snapshot", "Log entries written since the last snapshot", null, tags,
                EtchStats::entriesSinceSnapshot);
        FunctionCounter.builder("etch.commits", this, m -> m.stat(EtchStats::commits))
                .description("Transactions committed since the store opened").tags(tags).register(registry);
        FunctionCounter.builder("etch.fsyncs", this, m -> m.stat(EtchStats::fsyncs))
                .description("Fsyncs of the log since the store opened").tags(tags).register(registry);
        for (EtchStats.CollectionStats collection : store.get().stats().collections()) {
            int id = collection.id();
            gauge(registry, "etch.collection.records", "Records in the collection", null,
                    tags.and("collection", collection.name()),
                    stats -> stats.collections().stream().filter(c -> c.id() == id).findFirst().map(c -> c.size())
                            .orElse(0));
        }
        bound.add(new BoundMeters(
                Timer.builder("etch.commit.latency")
                        .description("Time from the start of a write, lock wait included, to its acknowledgement")
                        .tags(tags).register(registry),
                Timer.builder("etch.fsync.latency").description("Duration of a log fsync").tags(tags).register(registry),
                DistributionSummary.builder("etch.fsync.commits").description("Commits made durable by one fsync")
                        .tags(tags).register(registry),
                Timer.builder("etch.snapshot.duration").description("Time to write a snapshot").tags(tags)
                        .register(registry),
                DistributionSummary.builder("etch.snapshot.size").description("Size of a snapshot written")
                        .baseUnit(BaseUnits.BYTES).tags(tags).register(registry),
                Counter.builder("etch.flush.errors").description("Failed writes or fsyncs of the log").tags(tags)
                        .register(registry)));
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit, Tags tags,
            ToDoubleFunction<EtchStats> value) {
        Gauge.builder(name, this, m -> m.stat(value)).description(description).baseUnit(unit).tags(tags)
                .strongReference(true).register(registry);
    }

    private double stat(ToDoubleFunction<EtchStats> value) {
        try {
            return value.applyAsDouble(store.get().stats());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Records {@code etch.commit.latency}. */
    @Override
    public void committed(Duration latency, int operations) {
        for (BoundMeters meters : bound) {
            meters.commitLatency.record(latency);
        }
    }

    /** Records {@code etch.fsync.latency} and {@code etch.fsync.commits}. */
    @Override
    public void synced(Duration latency, long commits) {
        for (BoundMeters meters : bound) {
            meters.fsyncLatency.record(latency);
            meters.commitsPerFsync.record(commits);
        }
    }

    /** Records {@code etch.snapshot.duration} and {@code etch.snapshot.size}. */
    @Override
    public void snapshotWritten(Duration duration, long bytes, long records) {
        for (BoundMeters meters : bound) {
            meters.snapshotDuration.record(duration);
            meters.snapshotSize.record(bytes);
        }
    }

    /** Increments {@code etch.flush.errors}. */
    @Override
    public void logFailed(Throwable error) {
        for (BoundMeters meters : bound) {
            meters.flushErrors.increment();
        }
    }

    @Override
    public String toString() {
        return "EtchStoreMetrics[" + storeName + "]";
    }

    private record BoundMeters(Timer commitLatency, Timer fsyncLatency, DistributionSummary commitsPerFsync,
            Timer snapshotDuration, DistributionSummary snapshotSize, Counter flushErrors) {}
}
