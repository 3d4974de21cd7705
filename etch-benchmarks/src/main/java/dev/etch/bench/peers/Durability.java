package dev.etch.bench.peers;

/** The durability a peer is configured for in a benchmark; every system in one table uses the same. */
public enum Durability {
    /** A commit returns only after its data is fsynced: survives a power cut. */
    SYNC,
    /** A commit returns once its data is handed to the OS (no fsync): survives a process crash only. */
    OS
}
