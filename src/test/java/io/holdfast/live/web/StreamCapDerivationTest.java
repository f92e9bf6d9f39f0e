package io.holdfast.live.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic of {@link StreamCap}: the smaller of the connection and heap budgets; a set value only lowers it. */
class StreamCapDerivationTest {

    private static final long GB = 1024L * 1024 * 1024;

    @Test
    void tomcatsDefaultConnectionsWithALargeHeapLeaveAQuarterOfTheConnections() {
        assertThat(StreamCap.of(0, 8192, 8 * GB).streams()).isEqualTo(6144);
    }

    @Test
    void aSmallHeapLowersTheCapToAQuarterOfItAt128KbAStream() {
        assertThat(StreamCap.of(0, 8192, GB / 2).streams()).isEqualTo(1024);
    }

    @Test
    void aSetValueLowersTheCapButCannotRaiseItAboveTheConnections() {
        assertThat(StreamCap.of(100, 8192, 8 * GB).streams()).isEqualTo(100);
        StreamCap tooHigh = StreamCap.of(10_000, 8192, 8 * GB);
        assertThat(tooHigh.streams()).isEqualTo(6144);
        assertThat(tooHigh.reason()).contains("10000");
    }
}
