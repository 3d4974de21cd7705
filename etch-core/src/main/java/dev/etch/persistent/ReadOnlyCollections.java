package dev.etch.persistent;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Set;
import java.util.function.Predicate;

/** Bases for the views of persistent maps: every mutator throws, even when it would be a no-op. */
final class ReadOnlyCollections {

    private ReadOnlyCollections() {}

    abstract static class ReadOnlyCollection<E> extends AbstractCollection<E> {
        @Override
        public final boolean add(E e) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final boolean remove(Object o) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final boolean addAll(Collection<? extends E> c) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final boolean removeAll(Collection<?> c) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final boolean retainAll(Collection<?> c) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final boolean removeIf(Predicate<? super E> filter) {
            throw ImmutableMapBase.immutable();
        }

        @Override
        public final void clear() {
            throw ImmutableMapBase.immutable();
        }
    }

    /** A read-only set: the collection's refusals, and the {@link Set} contract's equality. */
    abstract static class ReadOnlySet<E> extends ReadOnlyCollection<E> implements Set<E> {
        @Override
        public final boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof Set<?> other) || other.size() != size()) {
                return false;
            }
            try {
                return containsAll(other);
            } catch (ClassCastException | NullPointerException e) {
                return false;
            }
        }

        @Override
        public final int hashCode() {
            int h = 0;
            for (E e : this) {
                h += e == null ? 0 : e.hashCode();
            }
            return h;
        }
    }
}
