package dev.etch.engine;

/**
 * Named places on the write, snapshot and rotation paths where a test can make the process
 * die on the spot, as a power cut or {@code kill -9} would: {@link Runtime#halt} runs no
 * shutdown hook and flushes nothing.
 *
 * <p>Armed only by the system property {@code etch.crashpoint=<name>[:<n>]}, which halts at
 * the {@code n}-th time (default the first) the named point is reached. Unarmed, each point
 * costs one read of a static final field, which the JIT folds away.
 */
public enum CrashPoint {

    /** A log entry was written to the file, before any fsync covers it. */
    AFTER_APPEND,
    /** An fsync returned, before the commits it covers are acknowledged or published. */
    AFTER_FSYNC,
    /** A new log segment exists and is durable, before appends switch to it. */
    AFTER_SEGMENT_CREATED,
    /** Appends switched to the new segment, before the snapshot is written. */
    AFTER_ROTATION,
    /** Part of the snapshot's records are in {@code snapshot.tmp}. */
    MID_SNAPSHOT,
    /** {@code snapshot.tmp} is complete and fsynced, before any rename. */
    AFTER_SNAPSHOT_SYNC,
    /** The newest snapshot was renamed to {@code snapshot.prev}, before the new one takes its name. */
    BETWEEN_SNAPSHOT_RENAMES,
    /** The new snapshot took its name, before the directory is fsynced. */
    AFTER_SNAPSHOT_RENAME,
    /** The directory was fsynced, before retired segments are deleted. */
    BEFORE_RETIRING_SEGMENTS;

    private static final String PROPERTY = "etch.crashpoint";
    private static final CrashPoint ARMED;
    private static final int AT;
    private static int reached;

    static {
        String spec = System.getProperty(PROPERTY);
        CrashPoint armed = null;
        int at = 1;
        if (spec != null && !spec.isBlank()) {
            String[] parts = spec.split(":", 2);
            armed = CrashPoint.valueOf(parts[0].trim());
            if (parts.length == 2) {
                at = Integer.parseInt(parts[1].trim());
            }
        }
        ARMED = armed;
        AT = at;
    }

    /** Halts the process if this point is armed and reached for the chosen time. */
    void hit() {
        if (ARMED == this) {
            synchronized (CrashPoint.class) {
                if (++reached >= AT) {
                    Runtime.getRuntime().halt(137);
                }
            }
        }
    }
}
