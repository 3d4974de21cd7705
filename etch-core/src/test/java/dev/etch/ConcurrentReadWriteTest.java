package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Readers iterate snapshots while writers move value between accounts: every snapshot is a
 * whole committed state (the total never changes), and nothing throws.
 */
class ConcurrentReadWriteTest {

    /** Balances by account, unordered and sorted, so both map kinds are exercised. */
    public record Bank(
            @EtchCollection(0) Map<String, Long> balances,
            @EtchCollection(1) NavigableMap<Integer, Long> ledger) {}

    private static final int ACCOUNTS = 200;
    private static final long START = 1_000;

    @Test
    void readersAlwaysSeeAConsistentTotalWhileTwoWritersMoveValue() throws Exception {
        try (EtchStore<Bank> store = EtchStore.inMemory(Bank.class)) {
            store.write(bank -> {
                for (int i = 0; i < ACCOUNTS; i++) {
                    bank.balances().put("acct-" + i, START);
                    bank.ledger().put(i, START);
                }
            });
            long expected = ACCOUNTS * START;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong transfers = new AtomicLong();
            AtomicLong snapshotsChecked = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        int from = random.nextInt(ACCOUNTS);
                        int to = random.nextInt(ACCOUNTS);
                        long amount = random.nextLong(1, 50);
                        store.write(bank -> {
                            bank.balances().merge("acct-" + from, -amount, Long::sum);
                            bank.balances().merge("acct-" + to, amount, Long::sum);
                            bank.ledger().compute(from, (k, v) -> v - amount);
                            bank.ledger().compute(to, (k, v) -> v + amount);
                        });
                        transfers.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Bank snapshot = store.read();
                        long total = 0;
                        for (long balance : snapshot.balances().values()) {
                            total += balance;
                        }
                        long sortedTotal = 0;
                        int previous = -1;
                        for (Map.Entry<Integer, Long> e : snapshot.ledger().entrySet()) {
                            assertThat(e.getKey()).isGreaterThan(previous);
                            previous = e.getKey();
                            sortedTotal += e.getValue();
                        }
                        assertThat(total).isEqualTo(expected);
                        assertThat(sortedTotal).isEqualTo(expected);
                        snapshotsChecked.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(1_500);
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : futures) {
                f.get();
            }
            assertThat(transfers.get()).isGreaterThan(100);
            assertThat(snapshotsChecked.get()).isGreaterThan(10);
            assertThat(store.stats().commits()).isEqualTo(transfers.get() + 1);
            long total = store.read().balances().values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(expected);
        }
    }
}
