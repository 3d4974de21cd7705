package dev.etch.crash;

import dev.etch.EtchStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process the crash tests kill: opens a store and writes from several threads, printing
 * {@code ACK <key> <value>} for every write only after {@code write} returned (that is, after
 * the write was acknowledged). Runs until it is killed.
 *
 * <p>Arguments: the data directory, the number of writer threads, and the round number (part
 * of every key so that rounds never collide).
 */
public final class CrashChild {

    private CrashChild() {}

    /**
     * Entry point.
     *
     * @param args directory, threads, round
     * @throws Exception never on purpose; the parent kills this process
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        String round = args[2];
        PrintStream out = System.out;
        EtchStore<Ledger> store = EtchStore.open(Ledger.class, dir);
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
                    store.write(ledger -> {
                        ledger.entries().put(key, value);
                        ledger.twins().put(key, -value);
                    });
                    synchronized (out) {
                        out.println("ACK " + key + " " + value);
                        out.flush();
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
}
