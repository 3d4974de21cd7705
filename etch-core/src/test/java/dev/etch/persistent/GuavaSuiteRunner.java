package dev.etch.persistent;

import java.util.Collections;
import java.util.stream.Collectors;
import junit.framework.Test;
import junit.framework.TestFailure;
import junit.framework.TestResult;

/** Runs a JUnit 3 suite in-process and fails with every failure listed. */
public final class GuavaSuiteRunner {

    private GuavaSuiteRunner() {}

    public static void assertPasses(Test suite) {
        TestResult result = new TestResult();
        suite.run(result);
        if (!result.wasSuccessful()) {
            String failures = Collections.list(result.failures()).stream()
                    .map(GuavaSuiteRunner::describe)
                    .collect(Collectors.joining("\n"));
            String errors = Collections.list(result.errors()).stream()
                    .map(GuavaSuiteRunner::describe)
                    .collect(Collectors.joining("\n"));
            throw new AssertionError(result.failureCount() + " failures, " + result.errorCount() + " errors of "
                    + result.runCount() + " tests:\n" + failures + "\n" + errors);
        }
        System.out.println(suite + ": " + result.runCount() + " Guava contract tests passed");
    }

    private static String describe(TestFailure f) {
        return f.failedTest() + ": " + f.thrownException();
    }
}
