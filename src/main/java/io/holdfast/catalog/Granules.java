package io.holdfast.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.LongStream;

/**
 * Time is occupied in 5-minute granules numbered from the epoch. Every real-world UTC offset is a multiple of
 * 15 minutes, and every duration, buffer and slot interval Holdfast accepts is a multiple of 5 minutes, so a
 * booking's occupied time maps onto whole granules exactly: no rounding, and two bookings overlap if and only if
 * they share a granule. That makes a plain unique key (staff, granule) a portable overlap guard.
 */
public final class Granules {

    public static final int MINUTES = 5;
    private static final long SECONDS = MINUTES * 60L;

    private Granules() {
    }

    public static boolean aligned(Instant instant) {
        return instant.getEpochSecond() % SECONDS == 0 && instant.getNano() == 0;
    }

    public static boolean aligned(int minutes) {
        return minutes % MINUTES == 0;
    }

    /** The granule that contains this instant. */
    public static long of(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), SECONDS);
    }

    public static Instant start(long granule) {
        return Instant.ofEpochSecond(granule * SECONDS);
    }

    /** Granules covering [from, to): from's granule up to the one before to's. */
    public static LongStream covering(Instant from, Instant to) {
        long first = of(from);
        long end = Math.floorDiv(to.getEpochSecond() + SECONDS - 1, SECONDS);
        return LongStream.range(first, end);
    }

    public static long count(Duration duration) {
        return duration.toMinutes() / MINUTES;
    }
}
