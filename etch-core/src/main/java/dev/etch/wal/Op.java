package dev.etch.wal;

/**
 * One change inside a logged transaction, as etchdb's {@code Op}: a put of encoded key and
 * value bytes into a collection, or a delete of a key.
 *
 * <p>The arrays are owned by the op once it is created; nobody mutates them afterwards.
 *
 * @param collection the collection id, {@code 0..255}
 * @param key the encoded key
 * @param value the encoded value for a put, {@code null} for a delete
 */
public record Op(int collection, byte[] key, byte[] value) {

    /**
     * A put.
     *
     * @param collection the collection id
     * @param key the encoded key
     * @param value the encoded value
     * @return the op
     */
    public static Op put(int collection, byte[] key, byte[] value) {
        return new Op(collection, key, java.util.Objects.requireNonNull(value, "value"));
    }

    /**
     * A delete.
     *
     * @param collection the collection id
     * @param key the encoded key
     * @return the op
     */
    public static Op delete(int collection, byte[] key) {
        return new Op(collection, key, null);
    }

    /**
     * Whether this op deletes its key.
     *
     * @return {@code true} for a delete, {@code false} for a put
     */
    public boolean isDelete() {
        return value == null;
    }
}
