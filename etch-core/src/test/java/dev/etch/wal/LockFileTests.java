package dev.etch.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etch.DatabaseLockedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTests {

    @TempDir
    Path dir;

    @Test
    void theOwnerRecordsItsPid() throws Exception {
        try (LockFile lock = LockFile.acquire(dir.resolve("db"))) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(Files.readString(dir.resolve("db/.lock")).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aSecondAcquireInThisProcessFailsWithThisPidEvenThroughAnotherPath() throws Exception {
        Path sameDirectory = Files.createSymbolicLink(dir.resolve("link"), dir);
        try (LockFile lock = LockFile.acquire(dir)) {
            assertThatThrownBy(() -> LockFile.acquire(dir))
                    .isInstanceOf(DatabaseLockedException.class);
            assertThatThrownBy(() -> LockFile.acquire(sameDirectory))
                    .isInstanceOfSatisfying(DatabaseLockedException.class, e -> {
                        assertThat(e.ownerPid()).hasValue(ProcessHandle.current().pid());
                        assertThat(e.getMessage()).contains("another store in this process");
                    });
            assertThat(lock.isHeld()).isTrue();
        }
    }

    @Test
    void closeReleasesAndIsIdempotent() {
        LockFile first = LockFile.acquire(dir);
        first.close();
        first.close();
        assertThat(first.isHeld()).isFalse();
        try (LockFile second = LockFile.acquire(dir)) {
            assertThat(second.isHeld()).isTrue();
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedAndKillingItFreesTheDirectory() throws Exception {
        Process child = startLockHolder(dir);
        try {
            long childPid = awaitLocked(child);
            assertThat(childPid).isEqualTo(child.pid());

            assertThatThrownBy(() -> LockFile.acquire(dir))
                    .isInstanceOfSatisfying(DatabaseLockedException.class, e -> {
                        assertThat(e.ownerPid()).hasValue(child.pid());
                        assertThat(e.directory()).isEqualTo(dir);
                        assertThat(e.getMessage()).contains("process " + child.pid()).contains(dir.toString());
                    });

            child.destroyForcibly(); // SIGKILL: no chance to release anything itself
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            try (LockFile lock = LockFile.acquire(dir)) {
                assertThat(lock.isHeld()).isTrue();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aChildCannotTakeADirectoryThisProcessHolds() throws Exception {
        try (LockFile lock = LockFile.acquire(dir)) {
            assertThat(lock.directory()).isEqualTo(dir);
            Process child = startLockHolder(dir);
            try {
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isNotZero();
                String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(err).contains("DatabaseLockedException").contains("process " + ProcessHandle.current().pid());
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Process startLockHolder(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx32m",
                "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(), dir.toString()))
                .start();
    }

    private static long awaitLocked(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null) {
            throw new AssertionError("child exited before locking: "
                    + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(line).startsWith("LOCKED ");
        return Long.parseLong(line.substring("LOCKED ".length()));
    }
}
