package io.holdfast.hold;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.holdfast.availability.Occupancy;

/**
 * A benchmark thread's share of the hold benchmarks ({@link HoldReleaseBenchmark}, {@link PeerLockBenchmark}): its
 * own staff member, whose day it walks through slot by slot, holding each 30-minute slot (6 granules) and releasing
 * it again exactly as the server calls the store. Each benchmark's thread state extends it.
 */
abstract class SlotWalk {

    final long staffId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 1_000_000);
    final String clientId;
    final Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(3));
    int slot;

    SlotWalk(String clientPrefix) {
        this.clientId = clientPrefix + UUID.randomUUID();
    }

    HoldItem next() {
        Instant start = day.plus(Duration.ofMinutes(30L * (slot++ % 40)));
        return new HoldItem(staffId, 1, start, start.plus(Duration.ofMinutes(30)),
                new Occupancy(start, start.plus(Duration.ofMinutes(30))));
    }

    /** Holds the next slot, then releases it; a refused hold ends the trial (each thread has its own staff). */
    boolean holdThenRelease(TemporaryStore store) {
        LeaseRequest request = new LeaseRequest(UUID.randomUUID(), clientId, "token-" + slot,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(next()));
        HoldOutcome outcome = store.hold(request, Duration.ofMinutes(10), 3);
        if (outcome.kind() != HoldOutcome.Kind.CREATED) {
            throw new IllegalStateException("hold refused: " + outcome.kind());
        }
        return store.release(outcome.hold().id(), outcome.hold().token());
    }
}
