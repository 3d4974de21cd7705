package dev.etch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Library;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

class EtchStoresLifecycleTests {

    @TempDir
    Path dir;

    @Test
    void stopsAfterTheWebServersGracefulShutdownAndStop() {
        assertThat(EtchStoresLifecycle.PHASE).isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE)
                .isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
    }

    @Test
    void workFinishingDuringGracefulShutdownCommitsBeforeTheStoresFlushAndClose() {
        List<String> events = new ArrayList<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class))
                .withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                        "etch.stores.library.directory=" + dir.resolve("library"),
                        "etch.stores.library.flush.policy=grouped", "etch.stores.library.flush.interval=1h")
                .withBean(FinishingRequest.class)
                .run(context -> {
                    context.getBean(FinishingRequest.class).events = events;
                    context.close();
                });
        assertThat(events).containsExactly("request committed during graceful shutdown");
        try (EtchStore<Library> reopened = EtchStore.open(Library.class, dir.resolve("library"))) {
            assertThat(reopened.read().books()).containsKey("late");
        }
    }

    /** Stands in for a request still running when graceful shutdown begins. */
    static class FinishingRequest implements SmartLifecycle {
        private final EtchStore<Library> library;
        private volatile boolean running;
        List<String> events;

        FinishingRequest(EtchStore<Library> library) {
            this.library = library;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            library.write(lib -> lib.books().put("late", new Library.Book("Late", "x", 1)));
            events.add("request committed during graceful shutdown");
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
        }
    }
}
