package dev.etch.codec.postcard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etch.codec.postcard.PostcardValueCodecTests.Color;
import dev.etch.codec.postcard.PostcardValueCodecTests.Order;
import dev.etch.codec.postcard.PostcardValueCodecTests.Shop;
import dev.etch.codec.postcard.PostcardValueCodecTests.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Random and mutated inputs: decoding either succeeds or fails with MalformedPostcardException, nothing else. */
class PostcardFuzzTests {

    @Test
    void mutatedAndRandomInputsFailOnlyAsMalformed() {
        PostcardBinding<Shop> shop = PostcardValueCodec.instance().bind(Shop.class);
        TreeMap<Long, Order> orders = new TreeMap<>();
        orders.put(7L, new Order(7, List.of(1, 2, 3), Optional.of("note"), Color.BLUE));
        orders.put(-1L, new Order(-1, List.of(), Optional.empty(), Color.RED));
        byte[] valid = shop.encode(new Shop(Map.of("alice", new User(1, "Alice", "a@x", true)), orders));
        Random random = new Random(7);
        int decoded = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] input;
            if (round % 2 == 0) {
                input = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
            } else {
                input = new byte[random.nextInt(48)];
                random.nextBytes(input);
            }
            try {
                shop.decode(input, 0, input.length);
                decoded++;
            } catch (MalformedPostcardException expected) {
                assertThat(expected.offset()).isBetween(0, input.length);
            }
        }
        assertThat(decoded).isLessThan(20_000);
    }
}
