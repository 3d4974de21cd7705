package dev.etch.engine;

import dev.etch.EtchListener;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a store as the one listener the engine calls: each event goes to every
 * listener, in order, and whatever a listener throws is logged and ignored, so it neither
 * keeps the event from the others nor reaches the engine.
 *
 * <p>The engine calls its listener only where its own state is already consistent (for the
 * log, after the fsync's waiters are woken, outside its monitor), so nothing a listener does
 * can strand a writer. What it throws never fails a write and never stops the flush thread:
 * an {@link Error} such as an {@link AssertionError} or a {@link NoClassDefFoundError} from
 * metrics code is ignored like a {@link RuntimeException}.
 *
 * <p>That includes a {@link VirtualMachineError} (out of memory, stack overflow), logged as an
 * error rather than a warning. Rethrowing it would not stop the JVM, but it would reach a
 * thread whose commit is already in the log: a writer told that a durable write failed (a
 * caller that retries applies it twice), or an append under the unsynced policy that the
 * engine would take as never written although the log replays it. The JVM's trouble shows
 * again at its next allocation, in code that is not in the middle of a commit.
 */
final class Listeners implements EtchListener {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final EtchListener[] listeners;

    private Listeners(List<EtchListener> listeners) {
        this.listeners = listeners.toArray(EtchListener[]::new);
    }

    /** {@link EtchListener#NONE} for no listener, else the listeners behind one that never throws. */
    static EtchListener of(List<EtchListener> listeners) {
        return listeners.isEmpty() ? EtchListener.NONE : new Listeners(List.copyOf(listeners));
    }

    @Override
    public void committed(Duration latency, int operations) {
        for (EtchListener l : listeners) {
            try {
                l.committed(latency, operations);
            } catch (RuntimeException | Error e) {
                ignore(l, e);
            }
        }
    }

    @Override
    public void synced(Duration latency, long commits) {
        for (EtchListener l : listeners) {
            try {
                l.synced(latency, commits);
            } catch (RuntimeException | Error e) {
                ignore(l, e);
            }
        }
    }

    @Override
    public void snapshotWritten(Duration duration, long bytes, long records) {
        for (EtchListener l : listeners) {
            try {
                l.snapshotWritten(duration, bytes, records);
            } catch (RuntimeException | Error e) {
                ignore(l, e);
            }
        }
    }

    @Override
    public void logFailed(Throwable error) {
        for (EtchListener l : listeners) {
            try {
                l.logFailed(error);
            } catch (RuntimeException | Error e) {
                ignore(l, e);
            }
        }
    }

    private static void ignore(EtchListener listener, Throwable e) {
        if (e instanceof VirtualMachineError) {
            log.error("EtchListener {} failed with a VirtualMachineError; ignored, the commit stands", listener, e);
        } else {
            log.warn("EtchListener {} failed; ignored", listener, e);
        }
    }
}
