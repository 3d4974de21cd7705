package dev.etch.engine;

import dev.etch.EtchListener;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as one: each event goes to every listener, in order, and a listener that
 * throws is logged and does not keep the event from the others.
 */
final class Listeners implements EtchListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final EtchListener[] listeners;

    private Listeners(List<EtchListener> listeners) {
        this.listeners = listeners.toArray(EtchListener[]::new);
    }

    /** {@link EtchListener#NONE} for no listener, the listener itself for one, else a fan-out. */
    static EtchListener of(List<EtchListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> EtchListener.NONE;
            case 1 -> listeners.get(0);
            default -> new Listeners(List.copyOf(listeners));
        };
    }

    @Override
    public void committed(Duration latency, int operations) {
        for (EtchListener l : listeners) {
            try {
                l.committed(latency, operations);
            } catch (RuntimeException e) {
                log.warn("EtchListener {} failed", l, e);
            }
        }
    }

    @Override
    public void synced(Duration latency, long commits) {
        for (EtchListener l : listeners) {
            try {
                l.synced(latency, commits);
            } catch (RuntimeException e) {
                log.warn("EtchListener {} failed", l, e);
            }
        }
    }

    @Override
    public void snapshotWritten(Duration duration, long bytes, long records) {
        for (EtchListener l : listeners) {
            try {
                l.snapshotWritten(duration, bytes, records);
            } catch (RuntimeException e) {
                log.warn("EtchListener {} failed", l, e);
            }
        }
    }

    @Override
    public void logFailed(Throwable error) {
        for (EtchListener l : listeners) {
            try {
                l.logFailed(error);
            } catch (RuntimeException e) {
                log.warn("EtchListener {} failed", l, e);
            }
        }
    }
}
