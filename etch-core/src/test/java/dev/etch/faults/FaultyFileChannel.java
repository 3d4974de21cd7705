package dev.etch.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real file channel whose writes, fsyncs and truncations first ask the {@link FaultyFileSystem}
 * whether an armed fault fails them. Reads, locks and everything else go straight through.
 */
final class FaultyFileChannel extends FileChannel {

    private final FaultyFileSystem fs;
    private final Path file;
    private final FileChannel real;
    /** Ranges written since the last successful force, as {offset, length}; guarded by this. */
    private final List<long[]> unsynced = new ArrayList<>();

    FaultyFileChannel(FaultyFileSystem fs, Path file, FileChannel real) {
        this.fs = fs;
        this.file = file;
        this.real = real;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return write(src, -1);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        long at = position < 0 ? real.position() : position;
        Fault fault = fs.tripped(FileOperation.WRITE, file);
        IOException error = fault == null ? null : fault.error(file);
        if (error != null) {
            if (fault.partialWrite() && src.remaining() > 1) {
                ByteBuffer half = src.duplicate();
                half.limit(half.position() + src.remaining() / 2);
                int written = position < 0 ? real.write(half) : real.write(half, position);
                remember(at, written);
            }
            throw error;
        }
        int written = position < 0 ? real.write(src) : real.write(src, position);
        remember(at, written);
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        fs.check(FileOperation.WRITE, file);
        long written = real.transferFrom(src, position, count);
        remember(position, written);
        return written;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        Fault fault = fs.tripped(FileOperation.FORCE, file);
        IOException error = fault == null ? null : fault.error(file);
        if (error != null) {
            if (fault.loseUnsynced()) {
                dropUnsynced();
            }
            throw error;
        }
        real.force(metaData);
        synchronized (this) {
            unsynced.clear();
        }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        fs.check(FileOperation.TRUNCATE, file);
        real.truncate(size);
        return this;
    }

    private synchronized void remember(long offset, long length) {
        if (length > 0) {
            unsynced.add(new long[] {offset, length});
        }
    }

    /** What the disk holds after the kernel dropped the dirty pages: zeros where the writes were. */
    private synchronized void dropUnsynced() throws IOException {
        long size = real.size();
        for (long[] range : unsynced) {
            long end = Math.min(range[0] + range[1], size);
            if (end > range[0]) {
                ByteBuffer zeros = ByteBuffer.allocate((int) (end - range[0]));
                while (zeros.hasRemaining()) {
                    real.write(zeros, range[0] + zeros.position());
                }
            }
        }
        unsynced.clear();
    }

    // ------------------------------------------------------------ delegated

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return real.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
