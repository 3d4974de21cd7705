package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The byte form of a {@link Book} for the peers that store bytes (H2 MVStore, MapDB, Chronicle
 * Map, the raw log): the five fields in order, strings as a 2-byte length plus UTF-8, no field
 * names. Every byte-oriented peer uses the same encoding, so they store the same bytes.
 */
public final class BookCodec {

    private BookCodec() {}

    public static byte[] encode(Book b) {
        byte[] t = b.title().getBytes(StandardCharsets.UTF_8);
        byte[] a = b.author().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(2 + t.length + 2 + a.length + 4 + 8 + 1);
        buf.putShort((short) t.length).put(t).putShort((short) a.length).put(a)
                .putInt(b.year()).putLong(b.isbn()).put((byte) (b.available() ? 1 : 0));
        return buf.array();
    }

    public static Book decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int tl = buf.getShort();
        String title = new String(bytes, buf.position(), tl, StandardCharsets.UTF_8);
        buf.position(buf.position() + tl);
        int al = buf.getShort();
        String author = new String(bytes, buf.position(), al, StandardCharsets.UTF_8);
        buf.position(buf.position() + al);
        return new Book(title, author, buf.getInt(), buf.getLong(), buf.get() != 0);
    }
}
