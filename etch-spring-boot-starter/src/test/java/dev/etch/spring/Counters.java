package dev.etch.spring;

import dev.etch.EtchCollection;
import java.util.Map;

/** A second state type: named counters. */
public record Counters(@EtchCollection(0) Map<String, Long> counters) {}
