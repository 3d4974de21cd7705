package dev.etch.spring;

/** A state type that is not a record, for failure analysis tests. */
public class NotARecord {
}
