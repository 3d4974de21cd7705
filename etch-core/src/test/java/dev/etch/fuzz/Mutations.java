package dev.etch.fuzz;

import dev.etch.wal.WalFormat;
import java.util.List;
import java.util.Random;

/**
 * Damage as disks, torn writes and bugs make it, applied to valid files: bit flips, odd bytes,
 * truncation, insertion, deletion, duplicated ranges, and length fields rewritten to values
 * that lie (huge, one off, zero). Both formats frame their pieces as {@code u32 length, bytes,
 * u64 xxh3}, so one set of mutations serves both.
 */
final class Mutations {

    private static final long[] LYING_LENGTHS = {0, 1, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x7FFF_FFBFL, 0x8000_0000L,
            1 << 20, 1 << 24};

    private Mutations() {}

    /**
     * One random mutation.
     *
     * @param input the bytes, not changed
     * @param random the source of every choice
     * @param protectedPrefix bytes at the start that are left alone in half the cases (a header
     *     that fails fast hides everything behind it)
     * @param headerSize where the frames start, for length rewrites; -1 if the input has none
     * @return the mutated bytes, possibly the same array
     */
    static byte[] mutate(byte[] input, Random random, int protectedPrefix, int headerSize) {
        int from = random.nextBoolean() ? Math.min(protectedPrefix, input.length) : 0;
        int span = input.length - from;
        switch (random.nextInt(headerSize < 0 ? 6 : 8)) {
            case 0 -> {
                if (span > 0) {
                    input[from + random.nextInt(span)] ^= (byte) (1 << random.nextInt(8));
                }
                return input;
            }
            case 1 -> {
                if (span > 0) {
                    int[] odd = {0, 0xFF, 0x7F, 0x80, 0x01, random.nextInt(256)};
                    input[from + random.nextInt(span)] = (byte) odd[random.nextInt(odd.length)];
                }
                return input;
            }
            case 2 -> {
                return java.util.Arrays.copyOf(input, from + (span == 0 ? 0 : random.nextInt(span)));
            }
            case 3 -> {
                byte[] inserted = new byte[1 + random.nextInt(16)];
                random.nextBytes(inserted);
                int at = from + (span == 0 ? 0 : random.nextInt(span + 1));
                return splice(input, at, 0, inserted);
            }
            case 4 -> {
                if (span == 0) {
                    return input;
                }
                int at = from + random.nextInt(span);
                return splice(input, at, 1 + random.nextInt(Math.min(32, input.length - at)), new byte[0]);
            }
            case 5 -> {
                if (span == 0) {
                    return input;
                }
                int at = from + random.nextInt(span);
                int len = 1 + random.nextInt(Math.min(64, input.length - at));
                byte[] copy = java.util.Arrays.copyOfRange(input, at, at + len);
                return splice(input, from + random.nextInt(span + 1), 0, copy);
            }
            default -> {
                List<Integer> frames = DecoderFuzzTests.frames(input, headerSize);
                if (frames.isEmpty()) {
                    return input;
                }
                int at = frames.get(random.nextInt(frames.size()));
                long remaining = input.length - at - 12L;
                long[] near = {remaining - 1, remaining, remaining + 1, remaining + 8};
                long length = random.nextBoolean() ? LYING_LENGTHS[random.nextInt(LYING_LENGTHS.length)]
                        : near[random.nextInt(near.length)];
                putIntLE(input, at, (int) length);
                return input;
            }
        }
    }

    /**
     * Recomputes every checksum the bytes still have a frame for (and a snapshot's header checksum),
     * so that damage gets past the checksums to the decoding behind them.
     */
    static void fixChecksums(byte[] bytes, int headerSize) {
        if (headerSize == 32 && bytes.length >= 32) {
            putLongLE(bytes, 24, WalFormat.checksum(bytes, 0, 24));
        }
        for (int at : DecoderFuzzTests.frames(bytes, headerSize)) {
            int n = dev.etch.codec.postcard.PostcardInput.intLE(bytes, at);
            putLongLE(bytes, at + 4 + n, WalFormat.checksum(bytes, at + 4, n));
        }
    }

    private static byte[] splice(byte[] input, int at, int remove, byte[] insert) {
        byte[] out = new byte[input.length - remove + insert.length];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(input, at + remove, out, at + insert.length, input.length - at - remove);
        return out;
    }

    private static void putIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putLongLE(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
