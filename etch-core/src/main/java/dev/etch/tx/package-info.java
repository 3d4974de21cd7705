/**
 * Transaction views: the mutable maps a write transaction sees.
 *
 * <p>{@link dev.etch.tx.TxMap} and {@link dev.etch.tx.TxNavigableMap} start from a persistent
 * map and replace it on every change (path copying), after telling a
 * {@link dev.etch.tx.ChangeRecorder} about the change. At commit the engine takes
 * {@code current()} as the new committed map; on rollback it drops the view.
 */
package dev.etch.tx;
