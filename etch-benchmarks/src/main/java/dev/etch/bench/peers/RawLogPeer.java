package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The physical limit: append the key and the {@link BookCodec} bytes of each record to a file
 * with a {@link FileChannel}, then {@code force(false)} (fdatasync) for {@link Durability#SYNC}.
 * No index, no reads ({@link #get} throws), one writer at a time.
 */
final class RawLogPeer implements PeerStore {

    final FileChannel channel;
    final boolean sync;
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);

    RawLogPeer(Path dir, Durability durability) {
        try {
            channel = FileChannel.open(dir.resolve("raw.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sync = durability == Durability.SYNC;
    }

    @Override
    public Book get(String key) {
        throw new UnsupportedOperationException("the raw log has no index");
    }

    private void append(String key, Book value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = BookCodec.encode(value);
        int need = 8 + k.length + v.length;
        if (buf.remaining() < need) {
            flushBuffer();
            if (buf.capacity() < need) {
                buf = ByteBuffer.allocateDirect(need);
            }
        }
        buf.putInt(k.length).put(k).putInt(v.length).put(v);
    }

    private void flushBuffer() {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.clear();
    }

    private void commit() {
        flushBuffer();
        if (sync) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void put(String key, Book value) {
        append(key, value);
        commit();
    }

    @Override
    public synchronized void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        for (int i = from; i < from + count; i++) {
            append(keys[i], values[i & mask]);
        }
        commit();
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
