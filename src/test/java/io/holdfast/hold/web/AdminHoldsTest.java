package io.holdfast.hold.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/admin/holds} on a private Redis: holds made over HTTP are listed with what is left of their
 * lease, filtered by staff member and day, paged without loss or repetition, and listed from SQL while Redis is down.
 * The admin release ({@link AdminReleaseContract}) in Redis mode, and on the SQL store while Redis is down: a hold
 * taken and released during the outage stays released after the failback.
 */
@ActiveProfiles("h2")
@PrivateRedis
// Selections live a minute here, so a loaded machine's pause between setting one and listing it never lapses it.
@TestPropertySource(properties = {"holdfast.redis.probe-interval=200ms", "holdfast.hold.selection-ttl=60s"})
class AdminHoldsTest extends AdminReleaseContract {

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;

    @BeforeEach
    void redisServesHolds() {
        awaitMode(StorageMode.REDIS);
    }

    @Test
    void listsLiveHoldsWithTheirRemainingLeaseByStaffAndDay() {
        awaitMode(StorageMode.REDIS);
        var salon = fixtures.salon();
        var other = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        LocalDate nextDay = day.plusDays(1);
        String firstClient = Fixtures.clientId();
        JsonNode first = hold(firstClient, salon, day, "10:00");
        JsonNode second = hold(Fixtures.clientId(), salon, day, "11:00");
        JsonNode third = hold(Fixtures.clientId(), salon, nextDay, "10:00");
        JsonNode elsewhere = hold(Fixtures.clientId(), other, day, "10:00");

        Api.Response response = api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId(), null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(first.get("token").asString()).doesNotContain(firstClient);
        JsonNode listing = response.json();
        assertThat(listing.get("store").asString()).isEqualTo("redis");
        assertThat(listing.get("limit").asInt()).isEqualTo(50);
        assertThat(listing.has("nextCursor")).isFalse();
        assertThat(ids(listing)).containsExactly(id(first), id(second), id(third));

        JsonNode entry = listing.get("holds").get(0);
        assertThat(entry.get("staffId").asLong()).isEqualTo(salon.staffId());
        assertThat(entry.get("serviceId").asLong()).isEqualTo(salon.serviceId());
        assertThat(entry.get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(entry.get("end").asString()).isEqualTo(salon.start(day, "10:30"));
        assertThat(entry.get("client").asString()).isEqualTo(firstClient.substring(0, 4) + "…"
                + firstClient.substring(firstClient.length() - 4));
        assertThat(OffsetDateTime.parse(entry.get("expiresAt").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(first.get("expiresAt").asString()).toInstant());
        assertThat(entry.get("store").asString()).isEqualTo("redis");
        for (JsonNode held : listing.get("holds")) {
            assertThat(held.get("ttlSeconds").asLong()).isGreaterThan(0).isLessThanOrEqualTo(600);
        }

        JsonNode oneDay = list("?staffId=" + salon.staffId() + "&date=" + day);
        assertThat(ids(oneDay)).containsExactly(id(first), id(second));
        JsonNode everyStaffOneDay = list("?date=" + nextDay);
        assertThat(ids(everyStaffOneDay)).contains(id(third)).doesNotContain(id(first), id(elsewhere));
        JsonNode everything = list("");
        assertThat(ids(everything)).contains(id(first), id(second), id(third), id(elsewhere));

        api.delete("/api/v1/holds/" + id(second), "Hold-Token", second.get("token").asString());
        assertThat(ids(list("?staffId=" + salon.staffId()))).containsExactly(id(first), id(third));
    }

    @Test
    void pagesReturnEveryHoldExactlyOnce() {
        awaitMode(StorageMode.REDIS);
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        List<String> made = new ArrayList<>();
        for (String time : List.of("12:00", "09:00", "15:30", "10:00", "11:30", "14:00", "16:00")) {
            made.add(id(hold(Fixtures.clientId(), salon, day, time)));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list("?staffId=" + salon.staffId() + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            sizes.add(page.get("holds").size());
            seen.addAll(ids(page));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
        } while (cursor != null);

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(made);
        List<String> starts = new ArrayList<>();
        list("?staffId=" + salon.staffId()).get("holds").forEach(held -> starts.add(held.get("start").asString()));
        assertThat(starts).isSorted();
    }

    @Test
    void listsLiveSelectionsWithTheirRemainingTimeInBothStores() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String client = Fixtures.clientId();
        select(client, salon, day, "10:00");
        JsonNode inRedis = selections(salon, day);
        assertThat(inRedis.get("store").asString()).isEqualTo("redis");
        assertThat(inRedis.get("selections")).singleElement().satisfies(selection -> {
            assertThat(selection.get("start").asString()).isEqualTo(salon.start(day, "10:00"));
            assertThat(selection.get("client").asString()).isEqualTo(client.substring(0, 4) + "…"
                    + client.substring(client.length() - 4));
            // the selection lifetime (holdfast.hold.selection-ttl, 60 s here), counted down
            assertThat(selection.get("ttlSeconds").asLong()).isGreaterThan(0).isLessThanOrEqualTo(60);
            assertThat(OffsetDateTime.parse(selection.get("expiresAt").asString()).toInstant())
                    .isAfter(java.time.Instant.now().minusSeconds(1));
        });
        assertThat(selections(salon, day.plusDays(1)).get("selections")).isEmpty();

        redis.kill();
        try {
            awaitMode(StorageMode.SQL);
            String during = Fixtures.clientId();
            select(during, salon, day, "11:00");
            JsonNode inSql = selections(salon, day);
            assertThat(inSql.get("store").asString()).isEqualTo("sql");
            assertThat(inSql.get("selections")).anySatisfy(selection -> {
                assertThat(selection.get("start").asString()).isEqualTo(salon.start(day, "11:00"));
                assertThat(selection.get("ttlSeconds").asLong()).isGreaterThan(0).isLessThanOrEqualTo(60);
            });
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);
        Api.Response unknown = api.admin("GET", "/api/v1/admin/selections?staffId=999999999", null);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
    }

    private void select(String client, Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response selected = api.put("/api/v1/selections", java.util.Map.of("staffId", salon.staffId(),
                "date", day.toString(), "time", time, "clientId", client));
        assertThat(selected.status()).as(selected.toString()).isEqualTo(204);
    }

    private JsonNode selections(Fixtures.Salon salon, LocalDate day) {
        Api.Response response = api.admin("GET", "/api/v1/admin/selections?staffId=" + salon.staffId() + "&date="
                + day, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void listsTheSqlStoreWhileRedisIsDown() {
        awaitMode(StorageMode.REDIS);
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode before = hold(Fixtures.clientId(), salon, day, "09:00");
        redis.kill();
        JsonNode during;
        try {
            awaitMode(StorageMode.SQL);
            during = hold(Fixtures.clientId(), salon, day, "13:00");
            JsonNode listing = list("?staffId=" + salon.staffId());
            assertThat(listing.get("store").asString()).isEqualTo("sql");
            assertThat(ids(listing)).contains(id(during)).doesNotContain(id(before));
            for (JsonNode held : listing.get("holds")) {
                assertThat(held.get("store").asString()).isEqualTo("sql");
                assertThat(held.get("ttlSeconds").asLong()).isGreaterThan(0).isLessThanOrEqualTo(600);
            }
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);
        JsonNode afterFailback = list("?staffId=" + salon.staffId());
        assertThat(afterFailback.get("store").asString()).isEqualTo("redis");
        assertThat(ids(afterFailback)).as("the failback copied the outage's hold into Redis").contains(id(during));
    }

    @Test
    void refusesBadInput() {
        String notACursor = Base64.getUrlEncoder().encodeToString("1:2".getBytes(StandardCharsets.UTF_8));
        for (String query : List.of("staffId=abc", "staffId=0", "staffId=-3", "date=2026-02-30", "date=tomorrow",
                "limit=0", "limit=501", "limit=many", "cursor=%21%21%21", "cursor=" + notACursor)) {
            Api.Response response = api.admin("GET", "/api/v1/admin/holds?" + query, null);
            assertThat(response.status()).as(query + " -> " + response).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.code()).isEqualTo("validation_failed");
        }
        Api.Response unknown = api.admin("GET", "/api/v1/admin/holds?staffId=987654321", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(api.get("/api/v1/admin/holds").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/admin/holds", "Authorization", "Bearer wrong").status()).isEqualTo(403);
    }

    @Test
    void releasesOnTheSqlStoreWhileRedisIsDownAndTheHoldStaysReleasedAfterTheFailback() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode during;
        redis.kill();
        try {
            awaitMode(StorageMode.SQL);
            during = hold(Fixtures.clientId(), salon, day, "13:00");
            assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("held");

            Api.Response released = api.admin("DELETE", "/api/v1/admin/holds/" + id(during), null);

            assertThat(released.status()).as(released.toString()).isEqualTo(204);
            assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);
        assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
        assertThat(ids(api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId(), null).json()))
                .doesNotContain(id(during));
        Api.Response extend = api.patch("/api/v1/holds/" + id(during), java.util.Map.of(), "Hold-Token",
                during.get("token").asString());
        assertThat(extend.status()).as("the released hold's token after the failback: " + extend).isIn(404, 410);
        assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
    }

    private JsonNode list(String query) {
        Api.Response response = api.admin("GET", "/api/v1/admin/holds" + query, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private void awaitMode(StorageMode mode) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (router.mode() != mode) {
            assertThat(System.currentTimeMillis()).as("waited for %s mode", mode).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
