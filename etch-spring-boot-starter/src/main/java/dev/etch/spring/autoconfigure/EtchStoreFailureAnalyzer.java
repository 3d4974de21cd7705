package dev.etch.spring.autoconfigure;

import dev.etch.DatabaseLockedException;
import dev.etch.EtchCodecException;
import dev.etch.EtchSchemaException;
import dev.etch.EtchStorageException;
import dev.etch.WalCorruptedException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link EtchStoreOpenException} at startup: what is wrong with which store,
 * which property decides it, and how to fix it.
 */
class EtchStoreFailureAnalyzer extends AbstractFailureAnalyzer<EtchStoreOpenException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EtchStoreOpenException cause) {
        String store = cause.getStoreName();
        String property = cause.getProperty();
        String prefix = cause.getPropertyPrefix();
        Throwable reason = cause.getCause();
        String description;
        String action;
        if (reason == null && property.endsWith(".state")) {
            description = "Etch store '" + store + "' has no state type: " + property + " is not set.";
            action = "Set " + property + " to the fully qualified name of your state record, for example"
                    + " com.example.library.Library.";
        } else if (reason instanceof BindException) {
            description = "The state type of Etch store '" + store + "' cannot be loaded: " + property + " names "
                    + valueOf(reason) + ", which is not a class on the application's classpath.";
            action = "Set " + property + " to the fully qualified name of your state record (package and class,"
                    + " nested classes with '$'), and check that it is compiled into the application.";
        } else if (reason instanceof EtchSchemaException) {
            description = "The state type of Etch store '" + store + "' (" + property + ") cannot be stored: "
                    + reason.getMessage();
            action = "Make the state a record whose components are Map or NavigableMap, each annotated with a"
                    + " unique @EtchCollection id, with supported key types and values the codec can write ("
                    + prefix + ".codec); or point " + property + " at such a record.";
        } else if (reason instanceof DatabaseLockedException locked) {
            boolean self = locked.ownerPid().isPresent()
                    && locked.ownerPid().getAsLong() == ProcessHandle.current().pid();
            description = "The data directory " + locked.directory() + " of Etch store '" + store + "' (" + property
                    + ") is locked by "
                    + (self ? "another store in this process (pid " + locked.ownerPid().getAsLong() + ")"
                            : locked.ownerPid().isPresent() ? "process " + locked.ownerPid().getAsLong()
                                    : "another process")
                    + ". A directory belongs to one store at a time.";
            action = (self ? "Close the other store that uses this directory, or "
                    : locked.ownerPid().isPresent() ? "Stop process " + locked.ownerPid().getAsLong()
                            + " (for example an earlier instance of this application), or " : "Stop the process"
                            + " that has it open, or ")
                    + "give " + property + " a directory of its own."
                    + (self ? " In tests, the other store is often an earlier application context that Spring's test"
                            + " context cache keeps open: give each test configuration its own directory (a @TempDir"
                            + " through @DynamicPropertySource), or close the earlier context with @DirtiesContext."
                            : "");
        } else if (reason instanceof WalCorruptedException corrupt) {
            description = "The log " + corrupt.file() + " of Etch store '" + store + "' is damaged at offset "
                    + corrupt.offset() + " (" + corrupt.reason() + "), and " + property
                    + "=true refuses to discard anything.";
            action = "Restore the directory from a backup, or start once with " + property
                    + "=false to keep every entry before offset " + corrupt.offset()
                    + " and cut the rest (the startup log reports what was discarded).";
        } else if (reason instanceof EtchCodecException) {
            description = "Etch store '" + store + "' cannot decode its data: " + reason.getMessage();
            action = "Open the data with the codec it was written with (" + property
                    + "), and keep value types compatible with the stored data.";
        } else if (reason instanceof EtchStorageException) {
            description = "Etch store '" + store + "' cannot use its data directory (" + property + "): "
                    + reason.getMessage();
            action = "Point " + property + " at a directory this process can create and write (not a file, on a"
                    + " disk with free space), or fix the directory's permissions.";
        } else {
            description = cause.getMessage();
            action = "Check the configuration of Etch store '" + store + "' under " + prefix + ".";
        }
        return new FailureAnalysis(description, action, cause);
    }

    private static String valueOf(Throwable reason) {
        BindException bind = (BindException) reason;
        return bind.getProperty() != null ? "'" + bind.getProperty().getValue() + "'" : "a class";
    }
}
