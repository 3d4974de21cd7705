package dev.etch.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One life of a {@link CrashChild}, seen from the parent: starts it, collects its
 * acknowledgements until it dies, and kills it with SIGKILL at a deadline if nothing else did
 * (a crash point that was never reached, or no crash point at all).
 *
 * @param acks the writes the child acknowledged, key to value
 * @param failures the {@code FAIL} lines: writes that threw
 * @param killedByParent whether the deadline passed and the parent sent SIGKILL
 */
record CrashRun(Map<String, Long> acks, List<String> failures, boolean killedByParent) {

    /** JVM flags that make the child start fast: it lives for well under a second. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC", "-Xmx256m");

    /**
     * Runs a child to its death.
     *
     * @param dir the data directory
     * @param threads writer threads in the child
     * @param round distinguishes this run's keys from every other run's in the directory
     * @param policy {@code immediate}, {@code grouped} or {@code none}
     * @param snapshotEvery the child's {@code snapshotEvery}, 0 for the default
     * @param pauseMicros the child's pause after each acknowledged write, 0 for none
     * @param crashPoint {@code NAME:n} to arm, or {@code null}
     * @param millisAfterReady when the parent kills the child if it is still alive
     * @param stderr where the child's standard error goes, for a failure's post-mortem
     */
    static CrashRun run(Path dir, int threads, String round, String policy, long snapshotEvery, long pauseMicros,
            String crashPoint,
            long millisAfterReady, Path stderr) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(FAST_START);
        if (crashPoint != null) {
            command.add("-Detch.crashpoint=" + crashPoint);
        }
        command.addAll(List.of(CrashChild.class.getName(), dir.toString(), String.valueOf(threads), round, policy,
                String.valueOf(snapshotEvery), String.valueOf(pauseMicros)));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .start();
        Map<String, Long> acks = new HashMap<>();
        List<String> failures = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            if (ready == null) {
                // Halted before READY: a crash point on the open path (the open's own rotation).
                return new CrashRun(acks, failures, false);
            }
            assertThat(ready).as("child started").isEqualTo("READY");
            Thread killer = new Thread(() -> {
                try {
                    if (!child.waitFor(millisAfterReady, TimeUnit.MILLISECONDS)) {
                        killed.set(true);
                        // SIGKILL through the handle: Process.destroyForcibly would also close our
                        // end of the pipe and lose the acknowledgements still in it.
                        child.toHandle().destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3) { // a line cut by the kill is not an acknowledgement
                        acks.put(parts[1], Long.parseLong(parts[2]));
                    }
                } else if (line.startsWith("FAIL ")) {
                    failures.add(line);
                }
            }
            killer.join();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return new CrashRun(acks, failures, killed.get());
    }
}
