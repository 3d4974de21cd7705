package dev.etch.spring.autoconfigure;

import dev.etch.EtchException;
import dev.etch.EtchStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Flushes every store when the application context stops, after the web server: its phase is
 * below the web server's graceful-shutdown and stop phases, so requests still finishing during
 * a graceful shutdown commit before the stores flush. The stores themselves close when their
 * beans are destroyed, after every lifecycle has stopped.
 *
 * <p>A failing flush is logged; it does not stop the other stores from flushing or the
 * context from closing.
 */
public class EtchStoresLifecycle implements SmartLifecycle {

    /**
     * Stop phase: after {@code WebServerGracefulShutdownLifecycle}
     * ({@code DEFAULT_PHASE - 1024}) and the web server's stop ({@code DEFAULT_PHASE - 2048}).
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger logger = LoggerFactory.getLogger(EtchStoresLifecycle.class);

    private final ObjectProvider<EtchStore<?>> stores;
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param stores every store of the application
     */
    public EtchStoresLifecycle(ObjectProvider<EtchStore<?>> stores) {
        this.stores = stores;
    }

    /** Marks the lifecycle running; the stores are already open. */
    @Override
    public void start() {
        running = true;
    }

    /** Waits until every store's acknowledged writes are on disk. */
    @Override
    public void stop() {
        running = false;
        stores.orderedStream().forEach(store -> {
            try {
                store.flush();
            } catch (EtchException e) {
                logger.warn("Could not flush {} on shutdown", store, e);
            }
        });
    }

    /**
     * Whether the context is running.
     *
     * @return {@code true} between start and stop
     */
    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * The stop phase.
     *
     * @return {@link #PHASE}
     */
    @Override
    public int getPhase() {
        return PHASE;
    }
}
