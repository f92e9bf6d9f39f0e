package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The ACL user that docs/redis-acl.conf recommends is enough for everything Holdfast does: a Redis started with
 * that very file (the password replaced) serves a whole booking flow, live stream, selections, codes, limits and the
 * admin endpoints, and its ACL LOG of refused commands stays empty. The file is the documentation, so it stays true.
 */
@ActiveProfiles("h2")
class RedisAclTest extends ServerTest {

    private static final String PASSWORD = "acl-test-password-4711";
    private static final RedisServer REDIS = RedisServer.start("--aclfile", aclFile().toString());

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        REDIS.register(registry, "holdfast:" + PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Autowired
    RedisFirst router;

    /** The documented file, with a known password, plus a default user for the test harness's own PING and CLI. */
    private static Path aclFile() {
        try {
            String documented = Files.readString(Path.of("docs", "redis-acl.conf"));
            assertThat(documented).contains(">change-me-to-a-long-random-password");
            Path file = Files.createTempFile("holdfast-acl", ".acl");
            Files.writeString(file, documented.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.replace(">change-me-to-a-long-random-password", ">" + PASSWORD))
                    .reduce("", (all, line) -> all + line + "\n") + "user default on nopass ~* &* +@all\n");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyFeatureWorksWithTheDocumentedAclUser() throws Exception {
        assertThat(REDIS.cli("ACL", "WHOAMI")).isEqualTo("default");
        assertThat(REDIS.cli("ACL", "LIST")).contains("user holdfast on");
        awaitRedisMode();

        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        try (SseClient viewer = SseClient.open(api.base() + "/api/v1/live/stream?staffId=" + salon.staffId()
                + "&date=" + day)) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            String client = Fixtures.clientId();
            assertThat(api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", day.toString(),
                    "time", "10:00", "clientId", client)).status()).isEqualTo(204);
            Api.Response hold = fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            String holdPath = "/api/v1/holds/" + hold.json().get("holdId").asString();
            String token = hold.json().get("token").asString();
            assertThat(api.patch(holdPath, null, "Hold-Token", token).status()).isEqualTo(200);
            assertThat(viewer.next("slot", Duration.ofSeconds(30))).isNotNull();

            Api.Response booked = fixtures.book(hold.json(), "acl@example.com");
            assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
            JsonNode booking = booked.json().get("bookings").get(0);
            assertThat(api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                    + salon.serviceId() + "&date=" + day + "&clientId=" + client).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day).status())
                    .isEqualTo(200);
            assertThat(api.delete("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                    booking.get("manageToken").asString()).status()).isEqualTo(204);

            Api.Response second = fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, "11:00"));
            assertThat(api.delete("/api/v1/holds/" + second.json().get("holdId").asString(), "Hold-Token",
                    second.json().get("token").asString()).status()).isEqualTo(204);
        }
        JsonNode status = api.admin("GET", "/api/v1/admin/redis-status", null).json();
        assertThat(status.get("redis").asString()).isEqualTo("connected");
        assertThat(status.get("server").get("slowlog").isArray()).isTrue();
        assertThat(status.get("server").get("persistence").has("aofEnabled")).isTrue();
        Api.Response listed = api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId() + "&limit=1", null);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("store").asString()).isEqualTo("redis");
        for (String path : new String[] {"/api/v1/admin/cache/health", "/api/v1/admin/cache/stats",
                "/api/v1/admin/cache/performance", "/api/v1/admin/dashboard/today?locationId=" + salon.locationId(),
                "/api/v1/admin/cache/debug/key?key=" + encoded(REDIS.cli("--scan", "--pattern", "hfc:*").lines()
                        .filter(key -> !key.contains("}:tag")).findFirst().orElseThrow())}) {
            assertThat(api.admin("GET", path, null).status()).as(path).isLessThan(400);
        }
        assertThat(api.admin("POST", "/api/v1/admin/cache/maintenance", null).status()).isEqualTo(200);
        assertThat(api.admin("DELETE", "/api/v1/admin/cache?pattern=*", null).status()).isEqualTo(200);

        assertThat(REDIS.cli("ACL", "LOG")).as("commands the ACL refused").isBlank();
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);
        assertThat(router.failoverCount()).as("failovers during the flow").isZero();
        assertThat(REDIS.cli("CONFIG", "GET", "notify-keyspace-events")).as("Holdfast enabled expiry events")
                .contains("E").contains("x");
    }

    private static String encoded(String key) {
        return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void awaitRedisMode() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (router.mode() != StorageMode.REDIS && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);
    }
}
