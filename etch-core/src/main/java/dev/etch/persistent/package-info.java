/**
 * Immutable persistent maps: the snapshots that readers see.
 *
 * <p>{@link dev.etch.persistent.PersistentHashMap} (a CHAMP hash trie) and
 * {@link dev.etch.persistent.PersistentTreeMap} (a persistent B+tree) never change once
 * built; {@code plus} and {@code minus} return new maps that share all untouched nodes with
 * the old one. A {@link dev.etch.persistent.PersistentMap.Builder} applies many changes in
 * place to nodes it created itself, for replaying a log fast.
 * {@link dev.etch.persistent.NavigableMapView} is the one implementation of sorted range and
 * descending views, read-only over a tree or writable over a transaction.
 */
package dev.etch.persistent;
