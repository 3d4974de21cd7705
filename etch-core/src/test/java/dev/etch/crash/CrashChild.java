package dev.etch.crash;

import dev.etch.EtchStore;
import dev.etch.FlushPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The process the crash tests kill: opens a store and writes from several threads, printing
 * {@code ACK <key> <value>} for every write only after {@code write} returned (that is, after
 * the write was acknowledged). Runs until it is killed, or until a crash point armed with
 * {@code -Detch.crashpoint} halts it.
 *
 * <p>Every transaction puts its key in both collections of the {@link Ledger}; keys are
 * {@code r<round>-t<thread>-<i>} with {@code i} counting up from 0 per thread, so the parent
 * can also check that each thread's surviving writes have no holes. A write that throws prints
 * {@code FAIL <exception>} (a process crash must never make a write fail).
 *
 * <p>Arguments: the data directory, the number of writer threads, the round (part of every
 * key so that rounds never collide), and optionally the flush policy ({@code immediate},
 * {@code grouped} = 2 ms, {@code none}), {@code snapshotEvery} (0 keeps the default) and a pause
 * in microseconds after each acknowledged write (0: none), which keeps the state small enough
 * under the policies that do not wait for fsync for snapshots to keep up.
 */
public final class CrashChild {

    private CrashChild() {}

    /**
     * Entry point.
     *
     * @param args directory, threads, round[, policy[, snapshotEvery[, pauseMicros]]]
     * @throws Exception never on purpose; the parent kills this process
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        String round = args[2];
        FlushPolicy policy = policy(args.length > 3 ? args[3] : "immediate");
        long snapshotEvery = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long pauseNanos = args.length > 5 ? Long.parseLong(args[5]) * 1_000 : 0;
        PrintStream out = System.out;
        EtchStore.Builder<Ledger> builder = EtchStore.builder(Ledger.class).directory(dir).flushPolicy(policy);
        if (snapshotEvery > 0) {
            builder.snapshotEvery(snapshotEvery);
        }
        EtchStore<Ledger> store = builder.open();
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                for (long i = 0; ; i++) {
                    String key = "r" + round + "-t" + thread + "-" + i;
                    long value = i * 31 + thread;
                    try {
                        store.write(ledger -> {
                            ledger.entries().put(key, value);
                            ledger.twins().put(key, -value);
                        });
                    } catch (RuntimeException e) {
                        synchronized (out) {
                            out.println("FAIL " + e.toString().replace('\n', ' '));
                            out.flush();
                        }
                        return;
                    }
                    synchronized (out) {
                        out.println("ACK " + key + " " + value);
                        out.flush();
                    }
                    if (pauseNanos > 0) {
                        LockSupport.parkNanos(pauseNanos);
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    /** The policy named on the command line: {@code immediate}, {@code grouped} (2 ms) or {@code none}. */
    static FlushPolicy policy(String name) {
        return switch (name) {
            case "immediate" -> FlushPolicy.immediate();
            case "grouped" -> FlushPolicy.grouped(Duration.ofMillis(2));
            case "none" -> FlushPolicy.none();
            default -> throw new IllegalArgumentException("unknown flush policy " + name);
        };
    }
}
