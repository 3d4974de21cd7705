package dev.etch.persistent;

import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.function.Predicate;

/** Bases for the views of persistent maps: every mutator throws, even when it would be a no-op. */
final class ReadOnlyCollections {

    private ReadOnlyCollections() {}

    abstract static class ReadOnlySet<E> extends AbstractSet<E> {
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
}
