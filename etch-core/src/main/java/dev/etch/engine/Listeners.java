package dev.etch.engine;

import dev.etch.EtchListener;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners as one: each event goes to every listener, in order, and a listener that
 * throws is logged and does not keep the event from the others. Also {@link #call}, how the
 * engine calls a listener at all.
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
            call(() -> l.committed(latency, operations));
        }
    }

    @Override
    public void synced(Duration latency, long commits) {
        for (EtchListener l : listeners) {
            call(() -> l.synced(latency, commits));
        }
    }

    @Override
    public void snapshotWritten(Duration duration, long bytes, long records) {
        for (EtchListener l : listeners) {
            call(() -> l.snapshotWritten(duration, bytes, records));
        }
    }

    @Override
    public void logFailed(Throwable error) {
        for (EtchListener l : listeners) {
            call(() -> l.logFailed(error));
        }
    }

    /**
     * Calls a listener. The engine calls listeners only where its own state is already
     * consistent (for the log, after the fsync's waiters are woken, outside its monitor), so
     * nothing a listener does can strand a writer. Whatever it throws, an {@link Error} such as
     * an {@link AssertionError} or a {@link NoClassDefFoundError} from metrics code included, is
     * logged and ignored: it never fails a write and never stops the flush thread.
     *
     * <p>That includes a {@link VirtualMachineError} (out of memory, stack overflow), logged as
     * an error rather than a warning. Rethrowing it would not stop the JVM, but it would reach a
     * thread whose commit is already in the log: a writer told that a durable write failed (a
     * caller that retries applies it twice), or an append under the unsynced policy that the
     * engine would take as never written although the log replays it. The JVM's trouble shows
     * again at its next allocation, in code that is not in the middle of a commit.
     *
     * @param event the listener call
     */
    static void call(Runnable event) {
        try {
            event.run();
        } catch (VirtualMachineError e) {
            log.error("EtchListener failed with a VirtualMachineError; ignored, the commit stands", e);
        } catch (RuntimeException | Error e) {
            log.warn("EtchListener failed; ignored", e);
        }
    }
}
