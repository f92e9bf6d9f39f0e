package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import io.holdfast.availability.VersionMessage;
import io.holdfast.availability.Versions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The message the day's version raise publishes to the other instances is, once the script has written the versions
 * in, the very text the relay published before (the envelope as Jackson writes it): instances of the version before
 * and after read each other's messages, and nothing in the event is lost or reordered on the way.
 */
class RelayedMessageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theVersionsWrittenInGiveTheEnvelopesOwnJson() {
        LocalDate day = LocalDate.of(2026, 10, 25);
        List<SlotEvent> changes = List.of(
                new SlotEvent("held", 42, day, List.of("02:00", "02:30"),
                        List.of("2026-10-25T02:00+02:00", "2026-10-25T02:30+01:00"), 0, 0),
                new SlotEvent("schedule", 7, day, List.of(), List.of(), 0, 0),
                new SlotEvent("booked", Long.MAX_VALUE, day, List.of("quoted \"\\ time"), List.of("é"), 0, 0));
        List<Versions> versions = List.of(new Versions(0, 1), new Versions(1_764_892_800_123L, 1_764_892_800_124L),
                new Versions(9_007_199_254_740_990L, 9_007_199_254_740_991L));
        for (SlotEvent change : changes) {
            for (Versions raised : versions) {
                VersionMessage message = LiveRelay.message(JSON, "origin-1", change);
                String text = message.text(raised);

                assertThat(message.channel()).isEqualTo("hf:slots:" + day + ":" + change.staffId());
                assertThat(text).isEqualTo(JSON.writeValueAsString(new LiveRelay.Envelope("origin-1",
                        change.at(raised))));
                assertThat(JSON.readValue(text, LiveRelay.Envelope.class).event())
                        .isEqualTo(change.at(raised));
            }
        }
    }
}
