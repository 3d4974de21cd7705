package dev.etch.engine;

import java.util.Map;

/**
 * One committed version of the state: the record handed to readers and the persistent maps
 * it is made of, indexed by record component.
 *
 * @param state the immutable state record
 * @param maps its persistent maps, in component order; never modified
 * @param <T> the state type
 */
record Version<T>(T state, Object[] maps) {

    /** Records in all collections. */
    long records() {
        long records = 0;
        for (Object map : maps) {
            records += ((Map<?, ?>) map).size();
        }
        return records;
    }
}
