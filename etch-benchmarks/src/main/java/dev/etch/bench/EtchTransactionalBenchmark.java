package dev.etch.bench;

import dev.etch.EtchCollection;
import dev.etch.EtchStore;
import dev.etch.EtchTransaction;
import dev.etch.spring.EtchTransactional;
import dev.etch.spring.transaction.EtchTransactionManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cost of {@code @EtchTransactional} (issue 5: at most 1.3 times a direct
 * {@code store.write}): the same single-record write through a transactional Spring bean and
 * directly on the store bean, under {@code FlushPolicy.none()} so the disk does not hide it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class EtchTransactionalBenchmark {

    /** One collection of counters. */
    public record Counters(@EtchCollection(0) Map<String, Long> counters) {}

    /** A service whose method is one Etch transaction. */
    public static class Writer {
        private final EtchStore<Counters> store;

        /**
         * Creates the service.
         *
         * @param store the store bean
         */
        public Writer(EtchStore<Counters> store) {
            this.store = store;
        }

        /**
         * Writes one counter in its own transaction.
         *
         * @param key the counter
         * @param value its value
         */
        @EtchTransactional
        public void put(String key, long value) {
            store.write(c -> c.counters().put(key, value));
        }
    }

    /** The application: auto-configuration plus the service. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class App {
        @Bean
        Writer writer(EtchStore<Counters> counters) {
            return new Writer(counters);
        }
    }

    private Path directory;
    private ConfigurableApplicationContext context;
    private EtchStore<Counters> store;
    private Writer writer;
    private TransactionTemplate template;
    private final TransactionTemplate emptyTemplate = new TransactionTemplate(new EmptyTransactionManager());
    private long next;

    /** Starts the application on a temporary directory. */
    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void open() {
        directory = TempDirs.create("etch-tx-bench-");
        context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).logStartupInfo(false)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn",
                        "etch.stores.counters.state=" + Counters.class.getName(),
                        "etch.stores.counters.directory=" + directory,
                        "etch.stores.counters.flush.policy=none")
                .run();
        store = context.getBean("counters", EtchStore.class);
        writer = context.getBean(Writer.class);
        template = new TransactionTemplate(
                context.getBean(EtchTransactionManager.beanName("counters"), PlatformTransactionManager.class));
    }

    /** Stops the application and removes the directory. */
    @TearDown(Level.Trial)
    public void close() {
        context.close();
        TempDirs.delete(directory);
    }

    /** The baseline: {@code store.write} on the store bean. */
    @Benchmark
    public void directWrite() {
        long value = next++;
        store.write(c -> c.counters().put("k" + (value & 1023), value));
    }

    /**
     * The same write in a {@code TransactionTemplate} on the store's transaction manager: no
     * proxy, so it separates the cost of Spring's transaction management from the proxy's.
     */
    @Benchmark
    public void transactionTemplateWrite() {
        long value = next++;
        template.executeWithoutResult(status -> store.write(c -> c.counters().put("k" + (value & 1023), value)));
    }

    /**
     * Spring's part alone: a {@code TransactionTemplate} around nothing, on a transaction
     * manager that only binds and unbinds a resource, as any resource transaction manager
     * does. What is left is {@code AbstractPlatformTransactionManager}'s own work per
     * transaction (status object, synchronization and transaction thread-locals set and
     * cleared, the completion callbacks), which every {@code @EtchTransactional} call pays.
     */
    @Benchmark
    public long emptySpringTransaction() {
        long value = next++;
        emptyTemplate.executeWithoutResult(status -> {});
        return value;
    }

    /** A transaction manager whose transactions do nothing but bind a resource to the thread. */
    static final class EmptyTransactionManager extends AbstractPlatformTransactionManager {
        private static final long serialVersionUID = 1L;
        private static final Object RESOURCE = new Object();

        @Override
        protected Object doGetTransaction() {
            return new Object[] {TransactionSynchronizationManager.getResource(RESOURCE)};
        }

        @Override
        protected boolean isExistingTransaction(Object transaction) {
            return ((Object[]) transaction)[0] != null;
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            TransactionSynchronizationManager.bindResource(RESOURCE, Boolean.TRUE);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {}

        @Override
        protected void doRollback(DefaultTransactionStatus status) {}

        @Override
        protected void doCleanupAfterCompletion(Object transaction) {
            TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
        }
    }

    /**
     * The same write joined to a transaction from {@code store.begin()}: the store's own
     * transaction API, the work a Spring transaction drives, without Spring.
     */
    @Benchmark
    public void storeBeginCommitWrite() {
        long value = next++;
        try (EtchTransaction<Counters> tx = store.begin()) {
            store.write(c -> c.counters().put("k" + (value & 1023), value));
            tx.commit();
        }
    }

    /** The same write inside an {@code @EtchTransactional} method. */
    @Benchmark
    public void etchTransactionalWrite() {
        long value = next++;
        writer.put("k" + (value & 1023), value);
    }
}
