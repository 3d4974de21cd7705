package dev.etch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.EtchStore;
import dev.etch.spring.Library;
import dev.etch.spring.Library.Book;
import dev.etch.spring.NotARecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/** Every bad configuration fails startup with a description and action that name the property. */
class EtchStoreFailureAnalyzerTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtchAutoConfiguration.class, EtchTransactionAutoConfiguration.class));

    @Test
    void unknownStateClass() {
        FailureAnalysis analysis = analyze("etch.stores.library.state=com.example.Nope",
                "etch.stores.library.directory=" + dir);
        assertThat(analysis.getDescription()).contains("etch.stores.library.state").contains("'com.example.Nope'")
                .contains("not a class");
        assertThat(analysis.getAction()).contains("Set etch.stores.library.state to the fully qualified name");
    }

    @Test
    void missingStateClass() {
        FailureAnalysis analysis = analyze("etch.stores.library.directory=" + dir);
        assertThat(analysis.getDescription()).contains("'library' has no state type")
                .contains("etch.stores.library.state");
        assertThat(analysis.getAction()).contains("Set etch.stores.library.state");
    }

    @Test
    void stateClassThatIsNotARecord() {
        FailureAnalysis analysis = analyze("etch.stores.library.state=" + NotARecord.class.getName(),
                "etch.stores.library.directory=" + dir);
        assertThat(analysis.getDescription()).contains("etch.stores.library.state").contains("NotARecord")
                .contains("not a record");
        assertThat(analysis.getAction()).contains("@EtchCollection").contains("etch.stores.library.state");
    }

    @Test
    void unwritableDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        FailureAnalysis analysis = analyze("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + file.resolve("library"));
        assertThat(analysis.getDescription()).contains("cannot use its data directory")
                .contains("etch.stores.library.directory");
        assertThat(analysis.getAction()).contains("Point etch.stores.library.directory at a directory");
    }

    @Test
    void directoryLockedByAnotherStoreNamesTheOwnerPid() {
        try (EtchStore<Library> holder = EtchStore.open(Library.class, dir.resolve("library"))) {
            FailureAnalysis analysis = analyze("etch.stores.library.state=" + Library.class.getName(),
                    "etch.stores.library.directory=" + dir.resolve("library"));
            long pid = ProcessHandle.current().pid();
            assertThat(analysis.getDescription()).contains("is locked by").contains("pid " + pid)
                    .contains("etch.stores.library.directory");
            assertThat(analysis.getAction()).contains("give etch.stores.library.directory a directory of its own")
                    .contains("test context cache").contains("@DirtiesContext");
        }
    }

    @Test
    void corruptLogInStrictMode() throws Exception {
        try (EtchStore<Library> store = EtchStore.open(Library.class, dir.resolve("library"))) {
            store.write(lib -> lib.books().put("isbn-1", new Book("Dune", "Herbert", 1965)));
            store.write(lib -> lib.books().put("isbn-2", new Book("Emma", "Austen", 1815)));
        }
        Path wal = dir.resolve("library").resolve("wal.bin");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[bytes.length - 15] ^= 0x5A;
        Files.write(wal, bytes);
        FailureAnalysis analysis = analyze("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir.resolve("library"), "etch.stores.library.strict-recovery=true");
        assertThat(analysis.getDescription()).contains("is damaged at offset")
                .contains("etch.stores.library.strict-recovery=true");
        assertThat(analysis.getAction()).contains("etch.stores.library.strict-recovery=false");
    }

    @Test
    void nonPositiveGroupedInterval() {
        FailureAnalysis analysis = analyze("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir, "etch.stores.library.flush.policy=grouped",
                "etch.stores.library.flush.interval=0ms");
        assertThat(analysis.getDescription()).contains("etch.stores.library.flush.interval").contains("positive");
    }

    @Test
    void badFlushPolicyIsExplainedByBootsBindFailureAnalyzer() throws Exception {
        runner.withPropertyValues("etch.stores.library.state=" + Library.class.getName(),
                "etch.stores.library.directory=" + dir, "etch.stores.library.flush.policy=sometimes")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalyzer boots = (FailureAnalyzer) BeanUtils.instantiateClass(ClassUtils.forName(
                            "org.springframework.boot.diagnostics.analyzer.BindFailureAnalyzer", null));
                    FailureAnalysis analysis = boots.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("etch.stores.library.flush.policy")
                            .contains("sometimes");
                    assertThat(analysis.getAction()).contains("IMMEDIATE").contains("GROUPED").contains("NONE");
                });
    }

    @Test
    void analyzerIsRegistered() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring.factories")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains(FailureAnalyzer.class.getName()).contains(EtchStoreFailureAnalyzer.class.getName());
        }
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            result[0] = new EtchStoreFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).as("an Etch failure analysis").isNotNull();
        return result[0];
    }
}
