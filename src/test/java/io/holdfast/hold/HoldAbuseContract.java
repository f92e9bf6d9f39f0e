package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue #15's attacks on holds, performed over HTTP against a real server, once per storage mode (subclasses): what
 * the attacker gets now, and that the legitimate use beside it still works. The per-address limits are the
 * production defaults here (the shared test context lifts them, see ServerTestContext).
 */
@TestPropertySource(properties = {"holdfast.hold.max-slots-per-address=12", "holdfast.hold.requests-per-address=120"})
abstract class HoldAbuseContract extends ServerTest {

    static final int THREADS = 40;

    /**
     * Finding 1: one address rotating clientIds held every slot of a day. Now 40 parallel requests from one address,
     * each under a clientId of its own for a slot of its own, get exactly 12 holds; the rest are 409
     * {@code hold_limit_reached}. Another address still holds, and a released slot is the address's to use again.
     */
    @Test
    void oneAddressHoldsAtMostTwelveSlotsHoweverManyClientIdsItRotates() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        List<String> starts = new ArrayList<>();
        for (LocalDate date : List.of(day, day.plusDays(1))) {
            for (String time : fixtures.times(salon, date)) {
                starts.add(salon.start(date, time));
            }
        }
        assertThat(starts).hasSizeGreaterThanOrEqualTo(THREADS);
        String attacker = Fixtures.clientAddress();

        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<JsonNode> granted = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String start = starts.get(i);
                sent.add(pool.submit(() -> {
                    go.await();
                    Api.Response response = hold(Fixtures.clientId(), salon, start, attacker);
                    answers.computeIfAbsent(response.status() + " " + response.code(), any -> new AtomicInteger())
                            .incrementAndGet();
                    if (response.status() == 201) {
                        granted.add(response.json());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> request : sent) {
                request.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).as("answers to %d parallel holds from one address", THREADS).hasSize(2);
        assertThat(answers.get("201 null")).as(answers.toString()).hasValue(12);
        assertThat(answers.get("409 hold_limit_reached")).as(answers.toString()).hasValue(THREADS - 12);
        assertThat(heldBy(salon, day).size() + heldBy(salon, day.plusDays(1)).size()).isEqualTo(12);

        String free = starts.stream().filter(start -> granted.stream()
                .noneMatch(hold -> hold.get("items").get(0).get("start").asString().equals(start))).findFirst().orElseThrow();
        Api.Response thirteenth = hold(Fixtures.clientId(), salon, free, attacker);
        assertThat(thirteenth.status()).as(thirteenth.toString()).isEqualTo(409);
        assertThat(thirteenth.code()).isEqualTo("hold_limit_reached");
        assertThat(thirteenth.json().get("detail").asString()).contains("12");

        Api.Response elsewhere = hold(Fixtures.clientId(), salon, free, Fixtures.clientAddress());
        assertThat(elsewhere.status()).as("another address: " + elsewhere).isEqualTo(201);

        JsonNode first = granted.get(0);
        Api.Response released = api.delete("/api/v1/holds/" + first.get("holdId").asString(), "Hold-Token",
                first.get("token").asString(), "X-Forwarded-For", attacker);
        assertThat(released.status()).as(released.toString()).isEqualTo(204);
        Api.Response again = hold(Fixtures.clientId(), salon, first.get("items").get(0).get("start").asString(), attacker);
        assertThat(again.status()).as("a released slot counts no more: " + again).isEqualTo(201);
    }

    /** IPv6: every address of one /64 is one client; another /64 is another. */
    @Test
    void ipv6AddressesOfOneSlash64ShareOneLimit() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        List<String> times = fixtures.times(salon, day);
        String prefix = "2001:db8:" + Integer.toHexString(1 + (int) (Math.random() * 0xfffe)) + ":15:";
        for (int i = 0; i < 12; i++) {
            Api.Response held = hold(Fixtures.clientId(), salon, salon.start(day, times.get(i)),
                    prefix + ":" + Integer.toHexString(i + 1));
            assertThat(held.status()).as(held.toString()).isEqualTo(201);
        }
        Api.Response rotated = hold(Fixtures.clientId(), salon, salon.start(day, times.get(12)), prefix + "abcd:1234:5678:9");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(409);
        assertThat(rotated.code()).isEqualTo("hold_limit_reached");
        Api.Response otherNetwork = hold(Fixtures.clientId(), salon, salon.start(day, times.get(12)),
                prefix.replace(":15:", ":16:") + ":1");
        assertThat(otherNetwork.status()).as(otherNetwork.toString()).isEqualTo(201);
    }

    /**
     * Finding 1, the request budget: 120 hold and selection requests a minute per address. The 121st is 429
     * {@code rate_limited} with Retry-After, for holds and selections alike; another address is not affected; after
     * the minute the budget is back. The clock is the server's (pinned), so the minute is exact.
     */
    @Test
    void oneAddressSendsAtMost120HoldAndSelectionRequestsAMinute() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        clock.pin(Instant.now());
        String address = Fixtures.clientAddress();
        String clientId = Fixtures.clientId();
        for (int i = 0; i < 119; i++) {
            Api.Response selected = select(salon, day, clientId, address);
            assertThat(selected.status()).as("request " + (i + 1) + ": " + selected).isEqualTo(204);
        }
        Api.Response last = hold(clientId, salon, salon.start(day, "10:00"), address);
        assertThat(last.status()).as("the 120th request, a hold: " + last).isEqualTo(201);

        Api.Response refusedSelection = select(salon, day, clientId, address);
        assertThat(refusedSelection.status()).as(refusedSelection.toString()).isEqualTo(429);
        assertThat(refusedSelection.code()).isEqualTo("rate_limited");
        long retryAfter = Long.parseLong(refusedSelection.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        Api.Response refusedHold = hold(Fixtures.clientId(), salon, salon.start(day, "11:00"), address);
        assertThat(refusedHold.status()).as(refusedHold.toString()).isEqualTo(429);
        assertThat(refusedHold.code()).isEqualTo("rate_limited");
        assertThat(refusedHold.headers().firstValue("Retry-After")).isPresent();

        assertThat(select(salon, day, Fixtures.clientId(), Fixtures.clientAddress()).status())
                .as("another address").isEqualTo(204);

        clock.advance(Duration.ofSeconds(61));
        assertThat(select(salon, day, clientId, address).status()).as("a minute later").isEqualTo(204);
    }

    /**
     * Finding 2: a clientId travels in query strings. Asking again for the victim's slot with the victim's clientId,
     * without the Idempotency-Key (or with another one), is 409 {@code slot_held} and shows no token; the victim's own
     * retry with its key gets its hold again (200).
     */
    @Test
    void aClientIdAloneNeverYieldsTheHoldsToken() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String victim = Fixtures.clientId();
        String key = UUID.randomUUID().toString();
        String start = salon.start(day, "12:00");
        Api.Response original = holdWithKey(victim, salon, start, key);
        assertThat(original.status()).as(original.toString()).isEqualTo(201);
        String token = original.json().get("token").asString();
        String holdId = original.json().get("holdId").asString();

        for (Api.Response attack : List.of(hold(victim, salon, start, Fixtures.clientAddress()),
                holdWithKey(victim, salon, start, UUID.randomUUID().toString()))) {
            assertThat(attack.status()).as(attack.toString()).isEqualTo(409);
            assertThat(attack.code()).isEqualTo("slot_held");
            assertThat(attack.body()).doesNotContain(token).doesNotContain(holdId);
        }
        Api.Response sameKeyOtherClient = holdWithKey(Fixtures.clientId(), salon, start, key);
        assertThat(sameKeyOtherClient.status()).as(sameKeyOtherClient.toString()).isEqualTo(409);
        assertThat(sameKeyOtherClient.body()).doesNotContain(token);

        Api.Response retry = holdWithKey(victim, salon, start, key);
        assertThat(retry.status()).as("the owner's retry with its key: " + retry).isEqualTo(200);
        assertThat(retry.json().get("holdId").asString()).isEqualTo(holdId);
        assertThat(retry.json().get("token").asString()).isEqualTo(token);

        // a batch: the same rule
        String batchKey = UUID.randomUUID().toString();
        Map<String, Object> batch = Map.of("clientId", victim, "items", List.of(
                Map.of("staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", salon.start(day, "14:00")),
                Map.of("staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", salon.start(day, "15:00"))));
        Api.Response batchHeld = api.post("/api/v1/holds", batch, "Idempotency-Key", batchKey,
                "X-Forwarded-For", Fixtures.clientAddress());
        assertThat(batchHeld.status()).as(batchHeld.toString()).isEqualTo(201);
        Api.Response batchAttack = api.post("/api/v1/holds", batch, "X-Forwarded-For", Fixtures.clientAddress());
        assertThat(batchAttack.status()).as(batchAttack.toString()).isEqualTo(409);
        assertThat(batchAttack.body()).doesNotContain(batchHeld.json().get("token").asString());
        Api.Response batchRetry = api.post("/api/v1/holds", batch, "Idempotency-Key", batchKey,
                "X-Forwarded-For", Fixtures.clientAddress());
        assertThat(batchRetry.status()).as(batchRetry.toString()).isEqualTo(200);
        assertThat(batchRetry.json().get("token").asString()).isEqualTo(batchHeld.json().get("token").asString());
    }

    Api.Response hold(String clientId, Fixtures.Salon salon, String start, String address) {
        return api.post("/api/v1/holds", Map.of("clientId", clientId, "staffId", salon.staffId(), "serviceId",
                salon.serviceId(), "start", start), "X-Forwarded-For", address);
    }

    Api.Response holdWithKey(String clientId, Fixtures.Salon salon, String start, String key) {
        return holdWithKey(clientId, salon, start, key, Fixtures.clientAddress());
    }

    Api.Response holdWithKey(String clientId, Fixtures.Salon salon, String start, String key, String address) {
        return api.post("/api/v1/holds", Map.of("clientId", clientId, "staffId", salon.staffId(), "serviceId",
                salon.serviceId(), "start", start), "Idempotency-Key", key, "X-Forwarded-For", address);
    }

    private Api.Response select(Fixtures.Salon salon, LocalDate day, String clientId, String address) {
        return api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", day.toString(), "time", "09:00",
                "clientId", clientId), "X-Forwarded-For", address);
    }

    /** The starts of the day that a stranger sees held. */
    List<String> heldBy(Fixtures.Salon salon, LocalDate day) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + "&clientId=" + Fixtures.clientId());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> held = new ArrayList<>();
        answer.json().get("slots").forEach(slot -> {
            if (slot.get("state").asString().equals("held")) {
                held.add(slot.get("start").asString());
            }
        });
        return held;
    }

    static Instant instant(JsonNode node) {
        return OffsetDateTime.parse(node.asString()).toInstant();
    }
}
