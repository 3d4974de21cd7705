package dev.etch.spring.autoconfigure;

import dev.etch.DatabaseLockedException;
import dev.etch.EtchCodecException;
import dev.etch.EtchException;
import dev.etch.EtchListener;
import dev.etch.EtchSchemaException;
import dev.etch.EtchStorageException;
import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import dev.etch.ReplayReport;
import dev.etch.ValueCodec;
import dev.etch.WalCorruptedException;
import dev.etch.spring.EtchListenerFactory;
import dev.etch.spring.EtchProperties;
import dev.etch.spring.EtchStoreCustomizer;
import dev.etch.spring.transaction.TransactionAwareEtchStore;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Opens one configured store: properties, then listener factories, then customizers, then
 * {@code open()}; logs what recovery read, and turns every failure into an
 * {@link EtchStoreOpenException} that names the property to fix.
 */
final class EtchStoreFactory {

    private static final Logger logger = LoggerFactory.getLogger(EtchStoreFactory.class);

    private final ObjectProvider<EtchListenerFactory> listenerFactories;
    private final ObjectProvider<EtchStoreCustomizer> customizers;

    EtchStoreFactory(ObjectProvider<EtchListenerFactory> listenerFactories,
            ObjectProvider<EtchStoreCustomizer> customizers) {
        this.listenerFactories = listenerFactories;
        this.customizers = customizers;
    }

    static Path directory(String name, EtchProperties.Store properties) {
        return properties.getDirectory() != null ? properties.getDirectory() : Path.of("etch-data", name);
    }

    <T> EtchStore<T> open(String name, Class<T> stateType, EtchProperties.Store properties) {
        String prefix = EtchStoreRegistrar.PREFIX + "." + name;
        Path directory = directory(name, properties);
        EtchStore.Builder<T> builder = EtchStore.builder(stateType).directory(directory)
                .strictRecovery(properties.isStrictRecovery())
                .valueCodec(properties.getCodec() == EtchProperties.Codec.POSTCARD
                        ? ValueCodec.postcard() : ValueCodec.jackson());
        try {
            builder.flushPolicy(flushPolicy(properties.getFlush()));
        } catch (IllegalArgumentException e) {
            throw new EtchStoreOpenException(name, prefix + ".flush.interval", e.getMessage(), e);
        }
        EtchProperties.Snapshot snapshot = properties.getSnapshot();
        try {
            if (snapshot.getEvery() != null) {
                builder.snapshotEvery(snapshot.getEvery());
            }
        } catch (IllegalArgumentException e) {
            throw new EtchStoreOpenException(name, prefix + ".snapshot.every", e.getMessage(), e);
        }
        try {
            if (snapshot.getLogSize() != null) {
                builder.snapshotLogSize(snapshot.getLogSize().toBytes());
            }
        } catch (IllegalArgumentException e) {
            throw new EtchStoreOpenException(name, prefix + ".snapshot.log-size", e.getMessage(), e);
        }
        listenerFactories.orderedStream().map(factory -> factory.listenerFor(name))
                .filter(listener -> listener != EtchListener.NONE).forEach(builder::listener);
        List<EtchStoreCustomizer> ordered = customizers.orderedStream().toList();
        for (EtchStoreCustomizer customizer : ordered) {
            try {
                customizer.customize(name, builder);
            } catch (RuntimeException e) {
                throw new EtchStoreOpenException(name, prefix, "EtchStoreCustomizer " + customizer + " failed: "
                        + e.getMessage(), e);
            }
        }
        EtchStore<T> store = openOrExplain(name, prefix, directory, builder);
        logReplay(name, directory, store.replayReport());
        return new TransactionAwareEtchStore<>(store);
    }

    private static <T> EtchStore<T> openOrExplain(String name, String prefix, Path directory, EtchStore.Builder<T> builder) {
        try {
            return builder.open();
        } catch (EtchSchemaException e) {
            throw new EtchStoreOpenException(name, prefix + ".state", e.getMessage(), e);
        } catch (DatabaseLockedException e) {
            throw new EtchStoreOpenException(name, prefix + ".directory", e.getMessage(), e);
        } catch (WalCorruptedException e) {
            throw new EtchStoreOpenException(name, prefix + ".strict-recovery", e.getMessage(), e);
        } catch (EtchCodecException e) {
            throw new EtchStoreOpenException(name, prefix + ".codec", e.getMessage(), e);
        } catch (EtchStorageException e) {
            throw new EtchStoreOpenException(name, prefix + ".directory", e.getMessage(), e);
        } catch (EtchException e) {
            throw new EtchStoreOpenException(name, prefix, e.getMessage(), e);
        }
    }

    private static FlushPolicy flushPolicy(EtchProperties.Flush flush) {
        return switch (flush.getPolicy()) {
            case IMMEDIATE -> FlushPolicy.immediate();
            case GROUPED -> FlushPolicy.grouped(flush.getInterval());
            case NONE -> FlushPolicy.none();
        };
    }

    private static void logReplay(String name, Path directory, ReplayReport report) {
        if (logger.isInfoEnabled()) {
            logger.info("Opened Etch store '{}' in {}: {}{} log entries ({} operations) replayed in {} ms", name,
                    directory.toAbsolutePath().normalize(),
                    report.snapshotLoaded() ? "snapshot of " + report.snapshotRecords() + " records, " : "",
                    report.entriesReplayed(), report.opsReplayed(), report.duration().toMillis());
        }
        if (report.bytesDiscarded() > 0) {
            logger.warn("Etch store '{}': discarded {} bytes of its log at offset {} ({}); everything before it was"
                    + " recovered", name, report.bytesDiscarded(), report.discardedAtOffset(),
                    report.discardReason().orElse("damaged entry"));
        }
        if (!report.skippedOpsByCollection().isEmpty()) {
            logger.warn("Etch store '{}': skipped operations on collection ids the state type no longer declares"
                    + " (id=count): {}; they are dropped at the next snapshot", name, report.skippedOpsByCollection());
        }
    }
}
