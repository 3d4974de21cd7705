package dev.etch.tx;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/** Random operations that run the same way on a view under test and on a JDK model. */
final class MapOps {

    private MapOps() {}

    /** An operation; singleKey ones change at most one key, so a veto must leave the map as it was. */
    record MapOp<M>(String name, boolean singleKey, Function<M, Object> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs an op, turning an exception into its class so model and view results compare. */
    static <M> Object run(MapOp<M> op, M map) {
        try {
            Object r = op.action().apply(map);
            return r instanceof Map.Entry<?, ?> e ? Map.entry(e.getKey(), e.getValue()) : r;
        } catch (RecordingRecorder.Veto veto) {
            throw veto;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    static MapOp<Map<Integer, String>> randomOp(Random rnd, int keySpace) {
        int k = rnd.nextInt(keySpace);
        int x = rnd.nextInt(1000);
        String v = "v" + x;
        return switch (rnd.nextInt(22)) {
            case 0, 1, 2, 3 -> new MapOp<>("put " + k, true, m -> m.put(k, v));
            case 4, 5 -> new MapOp<>("remove " + k, true, m -> m.remove(k));
            case 6 -> new MapOp<>("remove(k,v) " + k, true, m -> m.remove(k, "v" + (x % 3)));
            case 7 -> new MapOp<>("putIfAbsent " + k, true, m -> m.putIfAbsent(k, v));
            case 8 -> new MapOp<>("replace " + k, true, m -> m.replace(k, v));
            case 9 -> new MapOp<>("replace(k,o,n) " + k, true, m -> m.replace(k, m.getOrDefault(k, "none"), v));
            case 10 -> new MapOp<>("compute " + k, true,
                    m -> m.compute(k, (kk, old) -> old == null ? (x % 2 == 0 ? null : v) : (x % 3 == 0 ? null : old + x)));
            case 11 -> new MapOp<>("computeIfAbsent " + k, true,
                    m -> m.computeIfAbsent(k, kk -> x % 4 == 0 ? null : v));
            case 12 -> new MapOp<>("computeIfPresent " + k, true,
                    m -> m.computeIfPresent(k, (kk, old) -> x % 3 == 0 ? null : old + "!"));
            case 13 -> new MapOp<>("merge " + k, true,
                    m -> m.merge(k, v, (a, b) -> x % 3 == 0 ? null : a + b));
            case 14 -> new MapOp<>("putAll", false, m -> {
                m.putAll(Map.of(k, v, (k + 1) % keySpace + keySpace, "w" + x));
                return null;
            });
            case 15 -> new MapOp<>("clear", false, m -> {
                if (x % 10 == 0) {
                    m.clear();
                }
                return null;
            });
            case 16 -> new MapOp<>("replaceAll", false, m -> {
                m.replaceAll((kk, old) -> kk % 3 == x % 3 ? old + "r" : old);
                return null;
            });
            case 17 -> new MapOp<>("keySet iterator remove", false, m -> {
                for (Iterator<Integer> it = m.keySet().iterator(); it.hasNext();) {
                    if (it.next() % 5 == x % 5) {
                        it.remove();
                    }
                }
                return null;
            });
            case 18 -> new MapOp<>("entry setValue", false, m -> {
                for (Map.Entry<Integer, String> e : m.entrySet()) {
                    if (e.getKey() % 4 == x % 4) {
                        e.setValue(e.getValue() + "s");
                    }
                }
                return null;
            });
            case 19 -> new MapOp<>("values removeIf", false, m -> m.values().removeIf(s -> s.hashCode() % 7 == x % 7));
            case 20 -> new MapOp<>("keySet retainAll", false,
                    m -> m.keySet().retainAll(List.of(k, (k + 3) % keySpace, (k + 7) % keySpace, x % keySpace, 1, 2, 3, 5, 8)));
            default -> new MapOp<>("entrySet remove " + k, true, m -> m.entrySet().remove(Map.entry(k, m.getOrDefault(k, "v"))));
        };
    }

    /** Operations only a navigable map has, including writes through range and descending views. */
    static MapOp<NavigableMap<Integer, String>> randomNavigableOp(Random rnd, int keySpace) {
        int k = rnd.nextInt(keySpace);
        int a = rnd.nextInt(keySpace);
        int b = rnd.nextInt(keySpace);
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        boolean li = rnd.nextBoolean();
        boolean hiInc = rnd.nextBoolean();
        int x = rnd.nextInt(1000);
        String v = "n" + x;
        return switch (rnd.nextInt(14)) {
            case 0 -> new MapOp<>("pollFirstEntry", true, NavigableMap::pollFirstEntry);
            case 1 -> new MapOp<>("pollLastEntry", true, NavigableMap::pollLastEntry);
            case 2 -> new MapOp<>("subMap put " + k, true, m -> m.subMap(lo, li, hi, hiInc).put(k, v));
            case 3 -> new MapOp<>("headMap remove " + k, true, m -> m.headMap(hi, hiInc).remove(k));
            case 4 -> new MapOp<>("tailMap compute " + k, true,
                    m -> m.tailMap(lo, li).compute(k, (kk, old) -> old == null ? v : (x % 2 == 0 ? null : old + "t")));
            case 5 -> new MapOp<>("descending subMap put " + k, true,
                    m -> m.descendingMap().subMap(hi, hiInc, lo, li).put(k, v));
            case 6 -> new MapOp<>("descending pollFirst", true, m -> m.descendingMap().pollFirstEntry());
            case 7 -> new MapOp<>("keySet pollFirst", true, m -> m.navigableKeySet().pollFirst());
            case 8 -> new MapOp<>("descendingKeySet remove " + k, true, m -> m.descendingKeySet().remove(k));
            case 9 -> new MapOp<>("subMap clear", false, m -> {
                if (x % 4 == 0) {
                    m.subMap(lo, li, hi, hiInc).clear();
                }
                return null;
            });
            case 10 -> new MapOp<>("descending iterator remove", false, m -> {
                for (Iterator<Integer> it = m.descendingKeySet().iterator(); it.hasNext();) {
                    if (it.next() % 6 == x % 6) {
                        it.remove();
                    }
                }
                return null;
            });
            case 11 -> new MapOp<>("tailMap headMap entry setValue", false, m -> {
                for (Map.Entry<Integer, String> e : m.tailMap(lo, li).headMap(hi, hiInc).entrySet()) {
                    e.setValue(e.getValue() + "h");
                }
                return null;
            });
            case 12 -> new MapOp<>("subMap pollLast", true, m -> m.subMap(lo, li, hi, hiInc).pollLastEntry());
            default -> new MapOp<>("headMap putIfAbsent " + k, true, m -> m.headMap(hi, hiInc).putIfAbsent(k, v));
        };
    }

    static TreeMap<Integer, String> startingTree(Random rnd, int keySpace) {
        TreeMap<Integer, String> start = new TreeMap<>();
        int n = rnd.nextInt(keySpace);
        for (int i = 0; i < n; i++) {
            start.put(rnd.nextInt(keySpace), "s" + i);
        }
        return start;
    }
}
