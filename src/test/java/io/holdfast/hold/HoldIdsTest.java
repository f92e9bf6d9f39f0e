package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Hold ids are random version 4 UUIDs, as {@link UUID#randomUUID()} gave, and never repeat across threads. */
class HoldIdsTest {

    @Test
    void idsAreVersionFourUuidsThatDoNotRepeat() {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 100_000).parallel().forEach(i -> {
            UUID id = HoldIds.next();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(UUID.fromString(id.toString())).isEqualTo(id);
            seen.add(id);
        });
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void everyRandomBitVaries() {
        long highOr = 0;
        long highAnd = -1;
        long lowOr = 0;
        long lowAnd = -1;
        for (int i = 0; i < 1_000; i++) {
            UUID id = HoldIds.next();
            highOr |= id.getMostSignificantBits();
            highAnd &= id.getMostSignificantBits();
            lowOr |= id.getLeastSignificantBits();
            lowAnd &= id.getLeastSignificantBits();
        }
        // Only the version (4 bits) and the variant (2 bits) are fixed; every other bit was seen as 0 and as 1.
        assertThat(highOr & ~highAnd).isEqualTo(~0xf000L);
        assertThat(lowOr & ~lowAnd).isEqualTo(0x3fffffffffffffffL);
    }
}
