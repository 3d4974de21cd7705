package dev.etch.crash;

import dev.etch.EtchCollection;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The crash tests' state: every transaction writes one entry in each collection, so a
 * half-applied transaction shows up as an entry without its twin.
 */
public record Ledger(
        @EtchCollection(0) Map<String, Long> entries,
        @EtchCollection(1) NavigableMap<String, Long> twins) {}
