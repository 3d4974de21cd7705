package dev.etch.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.Unsigned;
import dev.etch.ValueCodec;
import dev.etch.codec.postcard.PostcardOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log written by etchdb 0.3.2 (see {@code src/test/resources/etchdb/README.md}) read and
 * written with the postcard value codec, as a store with etchdb's {@code User} values would.
 */
class WalEtchdbVectorTests {

    /** etchdb's {@code User { id: u64, name: String, email: String, active: bool }}. */
    record User(@Unsigned long id, String name, String email, boolean active) {}

    /** For the annotated type of the value, as the engine gets it from the state record. */
    record Users(Map<String, User> users) {}

    private static final User ALICE = new User(1, "Alice", "alice@example.com", true);
    private static final User BOB = new User(2, "Bob", "bob@example.com", false);
    private static final User CAROL = new User(300, "Carol", "carol@example.com", true);

    @TempDir
    Path dir;

    private final ValueCodec.Binding<User> users = ValueCodec.postcard().bind(
            ((java.lang.reflect.AnnotatedParameterizedType) Users.class.getRecordComponents()[0].getAnnotatedType())
                    .getAnnotatedActualTypeArguments()[1]);

    @Test
    void replayingTheLogGivesAliceAndCarol() throws Exception {
        Path wal = dir.resolve("wal.bin");
        Files.write(wal, WalReaderTests.etchdbVector());
        Map<String, User> state = new LinkedHashMap<>();

        WalScan scan = WalReader.scan(wal, (ops, end) -> {
            for (Op op : ops) {
                String key = new String(op.key(), StandardCharsets.UTF_8);
                if (op.isDelete()) {
                    state.remove(key);
                } else {
                    state.put(key, users.decode(op.value(), 0, op.value().length));
                }
            }
        });

        assertThat(scan.isClean()).isTrue();
        assertThat(state).containsExactly(Map.entry("alice", ALICE), Map.entry("carol", CAROL));
    }

    @Test
    void writingTheSameThreeCommitsGivesTheSameBytes() {
        PostcardOutput out = new PostcardOutput();
        WalFormat.appendHeader(out, 0);
        WalFormat.appendEntry(List.of(put("alice", ALICE), put("bob", BOB)), out);
        WalFormat.appendEntry(List.of(Op.delete(0, key("bob"))), out);
        WalFormat.appendEntry(List.of(put("carol", CAROL)), out);

        assertThat(out.toByteArray()).isEqualTo(WalReaderTests.etchdbVector());
    }

    private Op put(String key, User user) {
        return Op.put(0, key(key), users.encode(user));
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
