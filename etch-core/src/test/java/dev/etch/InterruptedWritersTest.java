package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.Library.Book;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application threads get interrupted (request timeouts, executors shut down). A file channel
 * is closed for every thread when one thread blocked in it is interrupted; the store must shrug
 * that off: every write succeeds, the interrupt status is kept for the caller, nothing is lost.
 */
class InterruptedWritersTest {

    @TempDir
    Path dir;

    static Stream<FlushPolicy> policies() {
        return Stream.of(FlushPolicy.immediate(), FlushPolicy.grouped(Duration.ofMillis(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void writersThatAreInterruptedAgainAndAgainLoseNothing(FlushPolicy policy) throws Exception {
        Map<String, Book> acknowledged = new ConcurrentHashMap<>();
        List<Throwable> failures = new ArrayList<>();
        AtomicBoolean interruptsKept = new AtomicBoolean(true);
        try (EtchStore<Library> store = EtchStore.builder(Library.class).directory(dir).flushPolicy(policy)
                .snapshotEvery(200).open()) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = thread + "-" + i;
                        Book book = new Book("t" + i, "a" + thread, i);
                        boolean interruptedBefore = Thread.currentThread().isInterrupted();
                        try {
                            store.write(lib -> lib.books().put(key, book));
                        } catch (RuntimeException e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                            return;
                        }
                        acknowledged.put(key, book);
                        if (interruptedBefore && !Thread.interrupted()) {
                            interruptsKept.set(false);
                        }
                        Thread.interrupted();
                    }
                });
                writer.start();
                writers.add(writer);
            }
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                writers.get(ThreadLocalRandom.current().nextInt(writers.size())).interrupt();
                Thread.sleep(0, 200_000);
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(30_000);
            }
            assertThat(failures).as("no write failed because of an interrupt").isEmpty();
            assertThat(interruptsKept).as("the interrupt status is handed back").isTrue();
            assertThat(acknowledged).hasSizeGreaterThan(100);
            store.flush();
            assertThat(store.stats().lastFlushError()).isEmpty();
        }
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir)) {
            assertThat(store.read().books()).containsAllEntriesOf(acknowledged);
        }
    }
}
