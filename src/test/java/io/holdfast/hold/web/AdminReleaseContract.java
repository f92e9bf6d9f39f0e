package io.holdfast.hold.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code DELETE /api/v1/admin/holds/{holdId}}: an operator releases a customer's hold. The slot shows free to
 * everyone at once, viewers hear {@code released}, and the customer's token neither extends nor books it any more.
 * Runs once per storage mode (subclasses).
 */
abstract class AdminReleaseContract extends ServerTest {

    @Test
    void anOperatorReleasesAHoldForEveryoneAtOnce() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String owner = Fixtures.clientId();
        try (SseClient viewer = SseClient.open(streamUrl(salon.staffId(), day))) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            JsonNode hold = hold(owner, salon, day, "10:00");
            assertThat(nextOfType(viewer, "held").json().get("times").get(0).asString()).isEqualTo("10:00");
            assertThat(state(salon, day, "10:00", Fixtures.clientId())).isEqualTo("held");

            Api.Response released = api.admin("DELETE", "/api/v1/admin/holds/" + id(hold), null);

            assertThat(released.status()).as(released.toString()).isEqualTo(204);
            // at once: the very next read, by anyone, the owner included
            assertThat(state(salon, day, "10:00", Fixtures.clientId())).isEqualTo("free");
            assertThat(state(salon, day, "10:00", owner)).isEqualTo("free");
            assertThat(ids(api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId(), null).json()))
                    .doesNotContain(id(hold));
            SseClient.Event event = nextOfType(viewer, "released");
            assertThat(event.json().get("times").get(0).asString()).isEqualTo("10:00");
            assertThat(event.json().get("staffId").asLong()).isEqualTo(salon.staffId());

            String token = hold.get("token").asString();
            Api.Response extend = api.patch("/api/v1/holds/" + id(hold), Map.of(), "Hold-Token", token);
            assertThat(extend.status()).as(extend.toString()).isIn(404, 410);
            Api.Response book = fixtures.book(hold, "release-" + id(hold) + "@example.com");
            assertThat(book.status()).as(book.toString()).isIn(404, 410);
            assertThat(state(salon, day, "10:00", Fixtures.clientId())).as("the token did not take the time back")
                    .isEqualTo("free");

            Api.Response again = api.admin("DELETE", "/api/v1/admin/holds/" + id(hold), null);
            assertThat(again.status()).as(again.toString()).isEqualTo(404);
            assertThat(again.code()).isEqualTo("not_found");
            // someone else may now hold the time
            hold(Fixtures.clientId(), salon, day, "10:00");
        }
    }

    @Test
    void releasingOneHoldOfABatchFreesAllItsSlotsAndNoOtherHold() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Api.Response batch = api.post("/api/v1/holds", Map.of("clientId", Fixtures.clientId(), "items", List.of(
                Map.of("staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", salon.start(day, "09:00")),
                Map.of("staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", salon.start(day, "11:00")))));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        JsonNode other = hold(Fixtures.clientId(), salon, day, "14:00");

        Api.Response released = api.admin("DELETE", "/api/v1/admin/holds/" + id(batch.json()), null);

        assertThat(released.status()).as(released.toString()).isEqualTo(204);
        String viewer = Fixtures.clientId();
        assertThat(state(salon, day, "09:00", viewer)).isEqualTo("free");
        assertThat(state(salon, day, "11:00", viewer)).isEqualTo("free");
        assertThat(state(salon, day, "14:00", viewer)).isEqualTo("held");
        assertThat(ids(api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId(), null).json()))
                .containsExactly(id(other));
    }

    @Test
    void refusesUnknownHoldsAndCallersWithoutTheAdminToken() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode hold = hold(Fixtures.clientId(), salon, day, "15:00");
        String path = "/api/v1/admin/holds/" + id(hold);

        assertThat(api.delete(path).status()).isEqualTo(401);
        assertThat(api.delete(path, "Authorization", "Bearer wrong").status()).isEqualTo(403);
        assertThat(api.delete(path, "Hold-Token", hold.get("token").asString()).status())
                .as("a hold token is no admin token").isEqualTo(401);
        assertThat(state(salon, day, "15:00", Fixtures.clientId())).as("still held").isEqualTo("held");

        Api.Response unknown = api.admin("DELETE", "/api/v1/admin/holds/7d444840-9dc0-11d1-b245-5ffdce74fad2", null);
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.code()).isEqualTo("not_found");
        Api.Response notAUuid = api.admin("DELETE", "/api/v1/admin/holds/not-a-uuid", null);
        assertThat(notAUuid.status()).as(notAUuid.toString()).isEqualTo(400);
        assertThat(notAUuid.code()).isEqualTo("validation_failed");
    }

    JsonNode hold(String clientId, Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response response = fixtures.hold(clientId, salon.staffId(), salon.serviceId(), salon.start(day, time));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** The state one client sees for a start time of the day. */
    String state(Fixtures.Salon salon, LocalDate day, String time, String clientId) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + "&clientId=" + clientId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        for (JsonNode slot : answer.json().get("slots")) {
            if (slot.get("time").asString().equals(time)) {
                return slot.get("state").asString();
            }
        }
        throw new AssertionError(time + " is not listed on " + day + ": " + answer);
    }

    String streamUrl(long staffId, LocalDate day) {
        return "http://127.0.0.1:" + port + "/api/v1/live/stream?staffId=" + staffId + "&date=" + day;
    }

    static SseClient.Event nextOfType(SseClient viewer, String type) throws InterruptedException {
        return viewer.nextSlot(type, Duration.ofSeconds(20));
    }

    static String id(JsonNode hold) {
        return hold.get("holdId").asString();
    }

    static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.get("holds").forEach(held -> ids.add(held.get("holdId").asString()));
        return ids;
    }
}
