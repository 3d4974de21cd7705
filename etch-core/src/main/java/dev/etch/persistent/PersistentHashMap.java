package dev.etch.persistent;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable hash map: a CHAMP trie (compressed hash-array mapped prefix tree).
 *
 * <p>Guarantees: everything {@link PersistentMap} promises; {@code get} and
 * {@code containsKey} run in O(1) expected time (at most seven node hops, then a linear scan
 * among keys whose 32-bit hashes are all equal); {@link #plus} and {@link #minus} copy at
 * most one node per level; iteration order is unspecified but stable for a given map.
 * Failure modes: keys whose {@code hashCode} or {@code equals} throw make the operation throw
 * the same exception, leaving the map unchanged.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PersistentHashMap<K, V> extends ImmutableMapBase<K, V> {

    /*
     * Node layout: dataMap has a bit per 5-bit hash fragment whose entry is stored inline,
     * nodeMap a bit per fragment that leads to a sub-node. The array holds the inline entries
     * as key,value pairs in bit order, then the sub-nodes in bit order: no per-entry objects,
     * which is where the memory saving over HashMap comes from. Below depth 7 the 32 hash bits
     * are used up: such a node is a collision node (both maps 0, pairs only, linear search).
     * A sub-node always holds at least two entries; a removal that leaves one pulls the
     * survivor up inline, so equal maps tend to have the same shape.
     */
    private static final int BITS = 5;
    private static final int MASK = 31;
    private static final int MAX_SHIFT = 30;
    private static final int MAX_DEPTH = 8;
    private static final int BRANCHES = 32;
    /** Batches from this size on are assembled on the common pool's threads too. */
    private static final int PARALLEL_ASSEMBLY = 1 << 16;
    /** Marks a removal while a batch is reduced to each key's last change. */
    private static final Object REMOVED = new Object();

    static final class Node {
        int dataMap;
        int nodeMap;
        Object[] a;
        /** The builder that may change this node in place; null for nodes of persistent maps. */
        Object owner;

        Node(int dataMap, int nodeMap, Object[] a, Object owner) {
            this.dataMap = dataMap;
            this.nodeMap = nodeMap;
            this.a = a;
            this.owner = owner;
        }
    }

    /** What an update found, and who may mutate in place. */
    static final class Op {
        Object owner;
        Object old;
        boolean sizeChanged;

        Op(Object owner) {
            this.owner = owner;
        }

        /** Readies a builder's reused Op for the next update. */
        Op reset(Object newOwner) {
            owner = newOwner;
            old = null;
            sizeChanged = false;
            return this;
        }

        boolean owns(Node n) {
            return owner != null && n.owner == owner;
        }

        Node update(Node n, int dataMap, int nodeMap, Object[] a) {
            if (owns(n)) {
                n.dataMap = dataMap;
                n.nodeMap = nodeMap;
                n.a = a;
                return n;
            }
            return new Node(dataMap, nodeMap, a, owner);
        }

        Node set(Node n, int i, Object x) {
            if (owns(n)) {
                n.a[i] = x;
                return n;
            }
            Object[] c = n.a.clone();
            c[i] = x;
            return new Node(n.dataMap, n.nodeMap, c, owner);
        }
    }

    private static final PersistentHashMap<?, ?> EMPTY =
            new PersistentHashMap<>(new Node(0, 0, new Object[0], null), 0);

    private final Node root;
    private final int size;

    private PersistentHashMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    /**
     * The empty map.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @return the shared empty map
     */
    @SuppressWarnings("unchecked")
    public static <K, V> PersistentHashMap<K, V> empty() {
        return (PersistentHashMap<K, V>) EMPTY;
    }

    /**
     * A map with the entries of {@code source}.
     *
     * @param source the entries to copy; returned as is if already a {@code PersistentHashMap}
     * @param <K> the key type
     * @param <V> the value type
     * @return the map
     * @throws NullPointerException if a key or value is {@code null}
     */
    @SuppressWarnings("unchecked")
    public static <K, V> PersistentHashMap<K, V> copyOf(java.util.Map<? extends K, ? extends V> source) {
        if (source instanceof PersistentHashMap) {
            return (PersistentHashMap<K, V>) source;
        }
        Builder<K, V> b = PersistentHashMap.<K, V>empty().toBuilder();
        source.forEach(b::put);
        return (PersistentHashMap<K, V>) b.build();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public V get(Object key) {
        return key == null ? null : find(root, key);
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && find(root, key) != null;
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v == null ? defaultValue : v;
    }

    @SuppressWarnings("unchecked")
    static <V> V find(Node n, Object key) {
        int h = key.hashCode();
        int shift = 0;
        for (;;) {
            int bit = 1 << ((h >>> shift) & MASK);
            int dataMap = n.dataMap;
            if ((dataMap & bit) != 0) {
                Object[] a = n.a;
                int i = Integer.bitCount(dataMap & (bit - 1)) << 1;
                return key.equals(a[i]) ? (V) a[i + 1] : null;
            }
            int nodeMap = n.nodeMap;
            if ((nodeMap & bit) == 0) {
                return null;
            }
            n = (Node) n.a[(Integer.bitCount(dataMap) << 1) + Integer.bitCount(nodeMap & (bit - 1))];
            shift += BITS;
            if (shift > MAX_SHIFT) {
                Object[] a = n.a;
                for (int i = 0; i < a.length; i += 2) {
                    if (key.equals(a[i])) {
                        return (V) a[i + 1];
                    }
                }
                return null;
            }
        }
    }

    @Override
    public PersistentHashMap<K, V> plus(K key, V value) {
        Objects.requireNonNull(key, NULL_KEY);
        Objects.requireNonNull(value, NULL_VALUE);
        Op op = new Op(null);
        Node r = put(root, key, value, key.hashCode(), 0, op);
        return r == root ? this : new PersistentHashMap<>(r, op.sizeChanged ? size + 1 : size);
    }

    @Override
    public PersistentHashMap<K, V> minus(Object key) {
        Objects.requireNonNull(key, NULL_KEY);
        Op op = new Op(null);
        Node r = remove(root, key, key.hashCode(), 0, op);
        return r == root ? this : new PersistentHashMap<>(r, size - 1);
    }

    @Override
    public PersistentMap.Builder<K, V> toBuilder() {
        return new HashBuilder<>(root, size);
    }

    static Node put(Node n, Object key, Object val, int h, int shift, Op op) {
        Object[] a = n.a;
        if (shift > MAX_SHIFT) {
            for (int i = 0; i < a.length; i += 2) {
                if (key.equals(a[i])) {
                    op.old = a[i + 1];
                    return a[i + 1] == val ? n : op.set(n, i + 1, val);
                }
            }
            Object[] c = java.util.Arrays.copyOf(a, a.length + 2);
            c[a.length] = key;
            c[a.length + 1] = val;
            op.sizeChanged = true;
            return op.update(n, 0, 0, c);
        }
        int bit = 1 << ((h >>> shift) & MASK);
        int dataMap = n.dataMap;
        int nodeMap = n.nodeMap;
        int dataLen = Integer.bitCount(dataMap) << 1;
        if ((dataMap & bit) != 0) {
            int i = Integer.bitCount(dataMap & (bit - 1)) << 1;
            Object k = a[i];
            if (key.equals(k)) {
                op.old = a[i + 1];
                return a[i + 1] == val ? n : op.set(n, i + 1, val);
            }
            op.sizeChanged = true;
            Node sub = pair(k, a[i + 1], k.hashCode(), key, val, h, shift + BITS, op.owner);
            int nj = Integer.bitCount(nodeMap & (bit - 1));
            Object[] c = new Object[a.length - 1];
            System.arraycopy(a, 0, c, 0, i);
            System.arraycopy(a, i + 2, c, i, dataLen - i - 2);
            System.arraycopy(a, dataLen, c, dataLen - 2, nj);
            c[dataLen - 2 + nj] = sub;
            System.arraycopy(a, dataLen + nj, c, dataLen - 1 + nj, a.length - dataLen - nj);
            return op.update(n, dataMap ^ bit, nodeMap | bit, c);
        }
        if ((nodeMap & bit) != 0) {
            int j = dataLen + Integer.bitCount(nodeMap & (bit - 1));
            Node child = (Node) a[j];
            Node nc = put(child, key, val, h, shift + BITS, op);
            return nc == child ? n : op.set(n, j, nc);
        }
        op.sizeChanged = true;
        int i = Integer.bitCount(dataMap & (bit - 1)) << 1;
        Object[] c = new Object[a.length + 2];
        System.arraycopy(a, 0, c, 0, i);
        c[i] = key;
        c[i + 1] = val;
        System.arraycopy(a, i, c, i + 2, a.length - i);
        return op.update(n, dataMap | bit, nodeMap, c);
    }

    private static Node pair(Object k1, Object v1, int h1, Object k2, Object v2, int h2, int shift, Object owner) {
        if (shift > MAX_SHIFT) {
            return new Node(0, 0, new Object[] {k1, v1, k2, v2}, owner);
        }
        int f1 = (h1 >>> shift) & MASK;
        int f2 = (h2 >>> shift) & MASK;
        if (f1 == f2) {
            return new Node(0, 1 << f1, new Object[] {pair(k1, v1, h1, k2, v2, h2, shift + BITS, owner)}, owner);
        }
        Object[] a = f1 < f2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k2, v2, k1, v1};
        return new Node((1 << f1) | (1 << f2), 0, a, owner);
    }

    static Node remove(Node n, Object key, int h, int shift, Op op) {
        Object[] a = n.a;
        if (shift > MAX_SHIFT) {
            for (int i = 0; i < a.length; i += 2) {
                if (key.equals(a[i])) {
                    op.old = a[i + 1];
                    op.sizeChanged = true;
                    Object[] c = new Object[a.length - 2];
                    System.arraycopy(a, 0, c, 0, i);
                    System.arraycopy(a, i + 2, c, i, a.length - i - 2);
                    return op.update(n, 0, 0, c);
                }
            }
            return n;
        }
        int bit = 1 << ((h >>> shift) & MASK);
        int dataMap = n.dataMap;
        int nodeMap = n.nodeMap;
        int dataLen = Integer.bitCount(dataMap) << 1;
        if ((dataMap & bit) != 0) {
            int i = Integer.bitCount(dataMap & (bit - 1)) << 1;
            if (!key.equals(a[i])) {
                return n;
            }
            op.old = a[i + 1];
            op.sizeChanged = true;
            Object[] c = new Object[a.length - 2];
            System.arraycopy(a, 0, c, 0, i);
            System.arraycopy(a, i + 2, c, i, a.length - i - 2);
            return op.update(n, dataMap ^ bit, nodeMap, c);
        }
        if ((nodeMap & bit) != 0) {
            int nj = Integer.bitCount(nodeMap & (bit - 1));
            int j = dataLen + nj;
            Node child = (Node) a[j];
            Node nc = remove(child, key, h, shift + BITS, op);
            // A builder changes owned nodes in place and returns the same node: only "nothing
            // was removed" means the child is unchanged; otherwise it may be down to one entry.
            if (nc == child && !op.sizeChanged) {
                return n;
            }
            if (nc.nodeMap == 0 && nc.a.length == 2) {
                // The sub-node kept one entry: store it inline here instead.
                int i = Integer.bitCount(dataMap & (bit - 1)) << 1;
                Object[] c = new Object[a.length + 1];
                System.arraycopy(a, 0, c, 0, i);
                c[i] = nc.a[0];
                c[i + 1] = nc.a[1];
                System.arraycopy(a, i, c, i + 2, dataLen - i);
                System.arraycopy(a, dataLen, c, dataLen + 2, nj);
                System.arraycopy(a, j + 1, c, j + 2, a.length - j - 1);
                return op.update(n, dataMap | bit, nodeMap ^ bit, c);
            }
            return op.set(n, j, nc);
        }
        return n;
    }

    /**
     * The hash's 5-bit fragments, the root's first, packed into one unsigned number: sorting
     * keys by it lists them in trie order, each node's entries contiguous and by fragment.
     */
    static int trieOrder(int h) {
        int order = 0;
        for (int shift = 0; shift < MAX_SHIFT; shift += BITS) {
            order = (order << BITS) | ((h >>> shift) & MASK);
        }
        return (order << 2) | (h >>> MAX_SHIFT);
    }

    /** The hash whose {@link #trieOrder} is {@code order}. */
    static int hashOfTrieOrder(int order) {
        int h = order & 3;
        for (int shift = 2; shift < Integer.SIZE; shift += BITS) {
            h = (h << BITS) | ((order >>> shift) & MASK);
        }
        return h;
    }

    /**
     * Indices {@code 0..n-1} sorted by {@code trieOrders[i]} as unsigned numbers, ties in index
     * order: each as {@code (trieOrder ^ MIN_VALUE) << 32 | index}, so a signed sort of the
     * longs is the wanted order. A counting pass on the top 16 bits puts each index in its
     * bucket, and only the small buckets are sorted: linear where a full sort of millions of
     * longs is not, and this runs on the thread opening the store.
     */
    static long[] sortStable(int[] trieOrders) {
        int n = trieOrders.length;
        long[] sorted = new long[n];
        if (n < (1 << 16)) {
            for (int i = 0; i < n; i++) {
                sorted[i] = ((long) (trieOrders[i] ^ Integer.MIN_VALUE) << 32) | i;
            }
            Arrays.sort(sorted);
            return sorted;
        }
        int[] start = new int[(1 << 16) + 1];
        for (int o : trieOrders) {
            start[(o >>> 16) + 1]++;
        }
        for (int b = 0; b < (1 << 16); b++) {
            start[b + 1] += start[b];
        }
        int[] next = Arrays.copyOf(start, 1 << 16);
        for (int i = 0; i < n; i++) {
            int o = trieOrders[i];
            sorted[next[o >>> 16]++] = ((long) (o ^ Integer.MIN_VALUE) << 32) | i;
        }
        for (int b = 0; b < (1 << 16); b++) {
            if (start[b + 1] - start[b] > 1) {
                Arrays.sort(sorted, start[b], start[b + 1]);
            }
        }
        return sorted;
    }

    /**
     * Builds the node for distinct keys {@code [from, to)}, sorted in trie order, that share
     * their hash fragments above {@code shift}: an entry is inline where it alone has its
     * fragment, a sub-node where two or more share it, as {@link #put} would leave them.
     */
    static Node assemble(Object[] k, Object[] v, int[] h, int from, int to, int shift, Object owner) {
        if (shift > MAX_SHIFT) {
            Object[] a = new Object[(to - from) << 1];
            for (int i = from; i < to; i++) {
                a[(i - from) << 1] = k[i];
                a[((i - from) << 1) + 1] = v[i];
            }
            return new Node(0, 0, a, owner);
        }
        // Two passes over the groups, the first to size the node's array: most nodes are
        // deep and small, where per-node bookkeeping arrays cost more than the second scan
        // (measured: 20-40 % slower for 2M entries).
        int dataMap = 0;
        int nodeMap = 0;
        for (int i = from; i < to;) {
            int fragment = (h[i] >>> shift) & MASK;
            int j = fragmentEnd(h, i, to, shift);
            if (j - i == 1) {
                dataMap |= 1 << fragment;
            } else {
                nodeMap |= 1 << fragment;
            }
            i = j;
        }
        int dataLen = Integer.bitCount(dataMap) << 1;
        Object[] a = new Object[dataLen + Integer.bitCount(nodeMap)];
        int d = 0;
        int s = dataLen;
        for (int i = from; i < to;) {
            int j = fragmentEnd(h, i, to, shift);
            if (j - i == 1) {
                a[d++] = k[i];
                a[d++] = v[i];
            } else {
                a[s++] = assemble(k, v, h, i, j, shift + BITS, owner);
            }
            i = j;
        }
        return new Node(dataMap, nodeMap, a, owner);
    }

    /** The end of the run of hashes from {@code i} that share {@code h[i]}'s fragment at {@code shift}. */
    private static int fragmentEnd(int[] h, int i, int to, int shift) {
        int fragment = (h[i] >>> shift) & MASK;
        int j = i + 1;
        while (j < to && ((h[j] >>> shift) & MASK) == fragment) {
            j++;
        }
        return j;
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        forEach(root, action);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void forEach(Node n, BiConsumer<? super K, ? super V> action) {
        Object[] a = n.a;
        int dataLen = n.nodeMap == 0 ? a.length : Integer.bitCount(n.dataMap) << 1;
        for (int i = 0; i < dataLen; i += 2) {
            action.accept((K) a[i], (V) a[i + 1]);
        }
        for (int i = dataLen; i < a.length; i++) {
            forEach((Node) a[i], action);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof PersistentHashMap<?, ?> other && other.root == root) {
            return true;
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int[] h = {0};
        forEach((k, v) -> h[0] += k.hashCode() ^ v.hashCode());
        return h[0];
    }

    /** Depth-first walk over the entries; {@link #advance()} loads the next key and value. */
    abstract static class Walk<E> implements Iterator<E> {
        private final Node[] nodes = new Node[MAX_DEPTH];
        private final int[] next = new int[MAX_DEPTH];
        private final int[] dataEnd = new int[MAX_DEPTH];
        private int depth;
        Object key;
        Object value;
        private boolean ready;

        Walk(Node root) {
            enter(root);
            ready = advance();
        }

        private void enter(Node n) {
            nodes[depth] = n;
            next[depth] = 0;
            dataEnd[depth] = n.nodeMap == 0 ? n.a.length : Integer.bitCount(n.dataMap) << 1;
        }

        private boolean advance() {
            while (depth >= 0) {
                Node n = nodes[depth];
                int i = next[depth];
                if (i < dataEnd[depth]) {
                    key = n.a[i];
                    value = n.a[i + 1];
                    next[depth] = i + 2;
                    return true;
                }
                if (i < n.a.length) {
                    next[depth] = i + 1;
                    depth++;
                    enter((Node) n.a[i]);
                } else {
                    nodes[depth] = null;
                    depth--;
                }
            }
            return false;
        }

        @Override
        public final boolean hasNext() {
            return ready;
        }

        @Override
        public final E next() {
            if (!ready) {
                throw new NoSuchElementException();
            }
            E e = current();
            ready = advance();
            return e;
        }

        abstract E current();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new ReadOnlyCollections.ReadOnlySet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Walk<>(root) {
                    @Override
                    @SuppressWarnings("unchecked")
                    Entry<K, V> current() {
                        return new SimpleImmutableEntry<>((K) key, (V) value);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Entry<?, ?> e) || e.getKey() == null) {
                    return false;
                }
                Object v = find(root, e.getKey());
                return v != null && v.equals(e.getValue());
            }
        };
    }

    @Override
    public Set<K> keySet() {
        return new ReadOnlyCollections.ReadOnlySet<>() {
            @Override
            public Iterator<K> iterator() {
                return new Walk<>(root) {
                    @Override
                    @SuppressWarnings("unchecked")
                    K current() {
                        return (K) key;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }
        };
    }

    @Override
    public java.util.Collection<V> values() {
        return new ReadOnlyCollections.ReadOnlyCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Walk<>(root) {
                    @Override
                    @SuppressWarnings("unchecked")
                    V current() {
                        return (V) value;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private static final class HashBuilder<K, V> implements PersistentMap.Builder<K, V> {
        private Node root;
        private int size;
        private Object owner = new Object();
        private final Op op = new Op(null);

        HashBuilder(Node root, int size) {
            this.root = root;
            this.size = size;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V put(K key, V value) {
            Objects.requireNonNull(key, NULL_KEY);
            Objects.requireNonNull(value, NULL_VALUE);
            Op op = this.op.reset(owner);
            root = PersistentHashMap.put(root, key, value, key.hashCode(), 0, op);
            if (op.sizeChanged) {
                size++;
            }
            V old = (V) op.old;
            op.old = null;
            return old;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V remove(Object key) {
            Objects.requireNonNull(key, NULL_KEY);
            Op op = this.op.reset(owner);
            root = PersistentHashMap.remove(root, key, key.hashCode(), 0, op);
            if (op.sizeChanged) {
                size--;
            }
            V old = (V) op.old;
            op.old = null;
            return old;
        }

        /**
         * Into an empty builder, keeps each key's last change and assembles the trie
         * bottom-up from the batch sorted into trie order: every node is allocated once and
         * no key already placed is visited again, where inserting one by one walks a path
         * from the root for each key and copies the node it lands in. Otherwise applies the
         * changes one by one.
         */
        @Override
        public void applyAll(Object[] keys, Object[] values, int count) {
            if (size != 0 || count == 0) {
                PersistentMap.Builder.super.applyAll(keys, values, count);
                return;
            }
            int[] trieOrders = new int[count];
            for (int i = 0; i < count; i++) {
                trieOrders[i] = trieOrder(Objects.requireNonNull(keys[i], NULL_KEY).hashCode());
            }
            assembleSorted(keys, values, sortStable(trieOrders));
        }

        /** Builds the trie of an empty builder from a batch sorted into trie order. */
        private void assembleSorted(Object[] keys, Object[] values, long[] order) {
            int count = order.length;
            Object[] k = new Object[count];
            Object[] v = new Object[count];
            int[] h = new int[count];
            // The root's 32 subtrees share nothing: each is reduced and assembled in its own
            // slice of the arrays, on the common pool's threads when the batch is large.
            int[] from = new int[BRANCHES + 1];
            for (int i = 0, fragment = 0; fragment <= BRANCHES; fragment++) {
                while (i < count && rootFragment(order[i]) < fragment) {
                    i++;
                }
                from[fragment] = i;
            }
            int[] end = new int[BRANCHES];
            Node[] subtrees = new Node[BRANCHES];
            java.util.stream.IntStream fragments = java.util.stream.IntStream.range(0, BRANCHES);
            (count >= PARALLEL_ASSEMBLY ? fragments.parallel() : fragments).forEach(fragment -> {
                end[fragment] = reduce(keys, values, order, from[fragment], from[fragment + 1], k, v, h);
                if (end[fragment] - from[fragment] > 1) {
                    subtrees[fragment] = PersistentHashMap.assemble(k, v, h, from[fragment], end[fragment], BITS,
                            owner);
                }
            });
            int dataMap = 0;
            int nodeMap = 0;
            for (int fragment = 0; fragment < BRANCHES; fragment++) {
                int entries = end[fragment] - from[fragment];
                if (entries == 1) {
                    dataMap |= 1 << fragment;
                } else if (entries > 1) {
                    nodeMap |= 1 << fragment;
                }
                size += entries;
            }
            Object[] a = new Object[(Integer.bitCount(dataMap) << 1) + Integer.bitCount(nodeMap)];
            int d = 0;
            int n = Integer.bitCount(dataMap) << 1;
            for (int fragment = 0; fragment < BRANCHES; fragment++) {
                int entries = end[fragment] - from[fragment];
                if (entries == 1) {
                    a[d++] = k[from[fragment]];
                    a[d++] = v[from[fragment]];
                } else if (entries > 1) {
                    a[n++] = subtrees[fragment];
                }
            }
            root = new Node(dataMap, nodeMap, a, owner);
        }

        /** The root fragment of a change, from its sort key. */
        private static int rootFragment(long sortKey) {
            return ((int) (sortKey >>> 32) ^ Integer.MIN_VALUE) >>> (Integer.SIZE - BITS);
        }

        /**
         * Reduces sorted changes {@code [from, to)} to each key's final entry, written to
         * {@code k, v, h} from index {@code from}; returns the end of what was written.
         */
        private static int reduce(Object[] keys, Object[] values, long[] order, int from, int to, Object[] k,
                Object[] v, int[] h) {
            int m = from;
            int runStart = from;
            while (runStart < to) {
                int trieOrder = (int) (order[runStart] >>> 32);
                int runEnd = runStart + 1;
                while (runEnd < to && (int) (order[runEnd] >>> 32) == trieOrder) {
                    runEnd++;
                }
                int hash = hashOfTrieOrder(trieOrder ^ Integer.MIN_VALUE);
                m = keepLastChanges(keys, values, order, runStart, runEnd, hash, k, v, h, m);
                runStart = runEnd;
            }
            return m;
        }

        /**
         * Copies the final entry of each key among changes with one hash (in order of the
         * log, since the sort is stable) to the output, dropping keys whose last change is a
         * removal. Runs are almost always one change long.
         */
        private static int keepLastChanges(Object[] keys, Object[] values, long[] order, int from, int to, int hash,
                Object[] k, Object[] v, int[] h, int m) {
            if (to - from == 1) {
                int i = (int) order[from];
                if (values[i] != null) {
                    k[m] = keys[i];
                    v[m] = values[i];
                    h[m++] = hash;
                }
                return m;
            }
            if (to - from <= 8) {
                // A short run (a key written again, or a true collision): for each change,
                // keep it if no later change in the run is to the same key.
                for (int j = from; j < to; j++) {
                    int i = (int) order[j];
                    boolean superseded = false;
                    for (int later = j + 1; later < to && !superseded; later++) {
                        superseded = keys[i].equals(keys[(int) order[later]]);
                    }
                    if (!superseded && values[i] != null) {
                        k[m] = keys[i];
                        v[m] = values[i];
                        h[m++] = hash;
                    }
                }
                return m;
            }
            java.util.Map<Object, Object> last = new java.util.LinkedHashMap<>();
            for (int j = from; j < to; j++) {
                int i = (int) order[j];
                last.remove(keys[i]);
                last.put(keys[i], values[i] == null ? REMOVED : values[i]);
            }
            for (java.util.Map.Entry<Object, Object> e : last.entrySet()) {
                if (e.getValue() != REMOVED) {
                    k[m] = e.getKey();
                    v[m] = e.getValue();
                    h[m++] = hash;
                }
            }
            return m;
        }

        @Override
        public V get(Object key) {
            return key == null ? null : find(root, key);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public PersistentHashMap<K, V> build() {
            // The built map shares every node: from now on this builder must copy them.
            owner = new Object();
            return size == 0 ? empty() : new PersistentHashMap<>(root, size);
        }
    }
}
