package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.file.Path;

/** Opens a system of the peer comparison by its {@code @Param} name. */
public final class Peers {

    /** Values of the comparison: 1,024 distinct books, indexed by {@code key & 1023}. */
    public static final Book[] VALUES = new Book[1024];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = Book.of(i);
        }
    }

    private Peers() {}

    /** Keys {@code "isbn-000000"} .. of {@code n} records. */
    public static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Book.key(i);
        }
        return keys;
    }

    /**
     * Opens {@code system} in {@code dir} (which must exist) with {@code durability}; {@code maxEntries}
     * sizes the systems that must be sized up front (Chronicle Map).
     */
    public static PeerStore open(String system, Path dir, Durability durability, long maxEntries) {
        return switch (system) {
            case "etch" -> new EtchPeer(dir, durability);
            case "h2" -> new H2Peer(dir, durability);
            case "mapdb" -> new MapDbPeer(dir, durability);
            case "sqlite-full" -> new SqlitePeer(dir, "FULL");
            case "sqlite-normal" -> new SqlitePeer(dir, "NORMAL");
            case "chronicle" -> new ChroniclePeer(dir, durability, maxEntries);
            case "eclipsestore" -> new EclipseStorePeer(dir, durability);
            case "raw" -> new RawLogPeer(dir, durability);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    /** Fills {@code store} with {@code keys} in transactions of up to 10,000 records. */
    public static void fill(PeerStore store, String[] keys) {
        for (int from = 0; from < keys.length; from += 10_000) {
            store.putBatch(keys, VALUES, from, Math.min(10_000, keys.length - from));
        }
    }
}
