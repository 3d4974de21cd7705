package dev.etch.faults;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setting of every fault test: a store directory on a real temporary directory, seen
 * through {@link FaultyFileSystem} so the test can arm faults on its files.
 */
abstract class OnAFaultyDisk {

    @TempDir
    Path tempDir;
    /** The store's directory, on the faulty file system. */
    Path dir;
    /** Where the test arms faults. */
    FaultyFileSystem disk;

    /** Where the store lives below the temporary directory; a subclass may nest it deeper. */
    String storePath() {
        return "store";
    }

    @BeforeEach
    void wrap() {
        dir = FaultyFileSystem.wrap(tempDir).resolve(storePath());
        disk = FaultyFileSystem.of(dir);
    }
}
