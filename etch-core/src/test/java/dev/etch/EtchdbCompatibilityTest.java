package dev.etch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.codec.postcard.PostcardOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories written by etchdb 0.3.2 open in Etch, and Etch writes the same log bytes for the
 * same commits.
 */
class EtchdbCompatibilityTest {

    /** etchdb's {@code User { id: u64, name: String, email: String, active: bool }}. */
    public record User(@Unsigned long id, String name, String email, boolean active) {}

    /** etchdb's state: one collection, id 0, of users by name. */
    public record Users(@EtchCollection(0) Map<String, User> users) {}

    private static final User ALICE = new User(1, "Alice", "alice@example.com", true);
    private static final User BOB = new User(2, "Bob", "bob@example.com", false);
    private static final User CAROL = new User(300, "Carol", "carol@example.com", true);

    @TempDir
    Path dir;

    @Test
    void theThreeCommitLogOfEtchdbOpens() throws IOException {
        Files.write(dir.resolve("wal.bin"), vector());

        try (EtchStore<Users> store = postcardStore(Users.class)) {
            assertThat(store.read().users()).containsOnly(Map.entry("alice", ALICE), Map.entry("carol", CAROL));
            assertThat(store.replayReport().entriesReplayed()).isEqualTo(3);
            assertThat(store.replayReport().opsReplayed()).isEqualTo(4);
            assertThat(store.replayReport().lostAnything()).isFalse();
        }
    }

    @Test
    void writingTheSameThreeCommitsGivesTheSameBytes() throws IOException {
        try (EtchStore<Users> store = postcardStore(Users.class)) {
            store.write(s -> {
                s.users().put("alice", ALICE);
                s.users().put("bob", BOB);
            });
            store.write(s -> s.users().remove("bob"));
            store.write(s -> s.users().put("carol", CAROL));
        }
        assertThat(Files.readAllBytes(dir.resolve("wal.bin"))).isEqualTo(vector());
    }

    /** A state mixing every key type etchdb has an encoding for, and sorted collections. */
    public record Mixed(
            @EtchCollection(0) NavigableMap<@Unsigned Long, User> byId,
            @EtchCollection(2) Map<InetAddress, String> hosts,
            @EtchCollection(1) Map<String, Optional<String>> notes) {}

    @Test
    void anEtchdbDirectoryWithAVersionOneSnapshotAndALogOpens() throws IOException {
        // The snapshot etchdb writes: "ESNA", version 1, then postcard of the state struct,
        // fields in declaration order, each map as a varint length and key/value pairs.
        PostcardOutput snapshot = new PostcardOutput();
        snapshot.writeRaw(new byte[] {'E', 'S', 'N', 'A', 1}, 0, 5);
        snapshot.writeVarint(1); // byId: one entry
        snapshot.writeVarint(300); // key: u64 varint
        writeUser(snapshot, CAROL);
        snapshot.writeVarint(1); // hosts: one entry
        snapshot.writeVarint(0); // IpAddr::V4
        snapshot.writeRaw(new byte[] {10, 0, 0, 1}, 0, 4);
        snapshot.writeString("gateway");
        snapshot.writeVarint(1); // notes: one entry
        snapshot.writeString("hello");
        snapshot.writeByte(1); // Some
        snapshot.writeString("world");
        Files.write(dir.resolve("snapshot.postcard"), snapshot.toByteArray());

        try (EtchStore<Mixed> store = postcardStore(Mixed.class)) {
            assertThat(store.replayReport().snapshotLoaded()).isTrue();
            assertThat(store.replayReport().snapshotRecords()).isEqualTo(3);
            store.write(s -> {
                s.byId().put(1L, ALICE);
                s.notes().put("empty", Optional.empty());
                s.hosts().remove(firstHost(s));
            });
        }
        try (EtchStore<Mixed> store = postcardStore(Mixed.class)) {
            Mixed state = store.read();
            assertThat(state.byId().keySet()).containsExactly(1L, 300L);
            assertThat(state.byId().get(300L)).isEqualTo(CAROL);
            assertThat(state.hosts()).isEmpty();
            assertThat(state.notes()).containsOnly(Map.entry("hello", Optional.of("world")),
                    Map.entry("empty", Optional.empty()));
            assertThat(store.replayReport().entriesReplayed()).isEqualTo(1);
        }
    }

    private static InetAddress firstHost(Mixed s) {
        return s.hosts().keySet().iterator().next();
    }

    private static void writeUser(PostcardOutput out, User user) {
        out.writeVarint(user.id());
        out.writeString(user.name());
        out.writeString(user.email());
        out.writeByte(user.active() ? 1 : 0);
    }

    private <T> EtchStore<T> postcardStore(Class<T> type) {
        return EtchStore.builder(type).directory(dir).valueCodec(ValueCodec.postcard()).open();
    }

    private static byte[] vector() throws IOException {
        try (InputStream in = EtchdbCompatibilityTest.class.getResourceAsStream(
                "/etchdb/etch-0.3.2-three-commits.wal")) {
            assertThat(in).as("test vector on the classpath").isNotNull();
            return in.readAllBytes();
        }
    }
}
