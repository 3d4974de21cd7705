package dev.etch.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage anywhere after the header never throws: the scan keeps a prefix of whole entries and says why it stopped. */
class WalFuzzTests {

    @TempDir
    Path dir;

    @Test
    void randomDamageAfterTheHeaderIsAlwaysReportedNeverThrown() throws Exception {
        byte[] vector = WalReaderTests.etchdbVector();
        long[] ends = {16, 93, 112, 161};
        Random random = new Random(11);
        Path wal = dir.resolve("wal.bin");
        for (int round = 0; round < 600; round++) {
            byte[] damaged = vector.clone();
            int at = 16 + random.nextInt(vector.length - 16);
            damaged[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(wal, damaged);

            WalScan scan = WalReader.scan(wal, (ops, end) -> {});

            long lastGood = 16;
            for (long end : ends) {
                if (end <= at) {
                    lastGood = end;
                }
            }
            assertThat(scan.validEnd()).as("damage at %d", at).isEqualTo(lastGood);
            assertThat(scan.damage()).isPresent();
        }
    }

    @Test
    void randomPayloadsFailOnlyAsMalformedEntries() {
        Random random = new Random(3);
        for (int round = 0; round < 20_000; round++) {
            byte[] payload = new byte[random.nextInt(40)];
            random.nextBytes(payload);
            if (payload.length > 0 && random.nextBoolean()) {
                payload[0] = (byte) random.nextInt(4); // plausible op counts reach deeper into the decoder
            }
            try {
                WalFormat.decodePayload(payload, 0, payload.length);
            } catch (MalformedEntryException expected) {
                assertThat(expected.getMessage()).contains("at payload byte");
            }
        }
    }
}
