package dev.etch.spring.autoconfigure;

import dev.etch.EtchListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards a store's events to the listeners of every {@code EtchListenerFactory}, each isolated from the others' failures. */
final class CompositeEtchListener implements EtchListener {

    private static final Logger logger = LoggerFactory.getLogger(CompositeEtchListener.class);

    private final List<EtchListener> listeners;

    private CompositeEtchListener(List<EtchListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static EtchListener of(List<EtchListener> listeners) {
        List<EtchListener> real = listeners.stream().filter(l -> l != EtchListener.NONE).toList();
        if (real.isEmpty()) {
            return EtchListener.NONE;
        }
        return real.size() == 1 ? real.get(0) : new CompositeEtchListener(real);
    }

    private void each(Consumer<EtchListener> event) {
        for (EtchListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                logger.warn("EtchListener {} failed", listener, e);
            }
        }
    }

    @Override
    public void committed(Duration latency, int operations) {
        each(l -> l.committed(latency, operations));
    }

    @Override
    public void synced(Duration latency, long commits) {
        each(l -> l.synced(latency, commits));
    }

    @Override
    public void snapshotWritten(Duration duration, long bytes, long records) {
        each(l -> l.snapshotWritten(duration, bytes, records));
    }

    @Override
    public void logFailed(Throwable error) {
        each(l -> l.logFailed(error));
    }
}
