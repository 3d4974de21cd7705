/**
 * Etch stores in Spring's transaction abstraction: the per-store
 * {@link dev.etch.spring.transaction.EtchTransactionManager}, the attribute source behind
 * {@link dev.etch.spring.EtchTransactional}, and the store wrapper that pins read-only
 * snapshots.
 */
package dev.etch.spring.transaction;
