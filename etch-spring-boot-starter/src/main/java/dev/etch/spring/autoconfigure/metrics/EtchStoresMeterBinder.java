package dev.etch.spring.autoconfigure.metrics;

import dev.etch.EtchListener;
import dev.etch.EtchStore;
import dev.etch.spring.EtchListenerFactory;
import dev.etch.spring.metrics.EtchStoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Connects {@link EtchStoreMetrics} to the stores and to Micrometer: as an
 * {@link EtchListenerFactory} it gives each configured store its metrics listener before the
 * store opens; as a {@link MeterBinder} it binds the meters of every {@code EtchStore} bean
 * (stores the application declares itself get the stats-based meters only, since no listener
 * was registered on them), and binds stores opened later as they open.
 */
final class EtchStoresMeterBinder implements EtchListenerFactory, MeterBinder {

    private final ListableBeanFactory beanFactory;
    private final Map<String, EtchStoreMetrics> metrics = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    EtchStoresMeterBinder(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public synchronized EtchListener listenerFor(String storeName) {
        EtchStoreMetrics created = metricsOf(storeName);
        for (MeterRegistry registry : registries) {
            created.bindTo(registry);
        }
        return created;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (String storeName : beanFactory.getBeanNamesForType(EtchStore.class, false, false)) {
            metricsOf(storeName).bindTo(registry);
        }
    }

    private EtchStoreMetrics metricsOf(String storeName) {
        return metrics.computeIfAbsent(storeName, name -> new EtchStoreMetrics(name,
                SingletonSupplier.<EtchStore<?>>of(() -> beanFactory.getBean(name, EtchStore.class))));
    }
}
