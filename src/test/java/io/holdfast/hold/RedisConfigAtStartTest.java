package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A server starting on a Redis says at once, in its log, what in the Redis configuration can lose holds. */
@ExtendWith(OutputCaptureExtension.class)
class RedisConfigAtStartTest {

    @Test
    void warnsAtStartAboutTheSeedsSettingsAndTurnsOnExpiryEvents(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "allkeys-lru");
                Instance server = start(redis)) {
            assertThat(server.port()).isPositive();
            assertThat(output.getOut()).containsPattern("WARN .*Redis configuration: maxmemory-policy is allkeys-lru: "
                    + ".*set maxmemory-policy noeviction.*unsafe for holds");
            assertThat(output.getOut()).containsPattern("WARN .*Redis configuration: persistence is off "
                    + "\\(appendonly no, save \"\"\\).*set appendonly yes");
            assertThat(output.getOut()).doesNotContain("Redis configuration: notify-keyspace-events");
            assertThat(redis.cli("CONFIG", "GET", "notify-keyspace-events")).contains("E").contains("x");
        }
    }

    @Test
    void staysQuietOnASafeConfiguration(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction", "--appendonly", "yes");
                Instance server = start(redis)) {
            assertThat(server.port()).isPositive();
            assertThat(output.getOut()).contains("Redis configuration checked: no eviction of holds")
                    .doesNotContain("Redis configuration: ");
        }
    }

    /**
     * {@code holdfast.hold.write-earlier-redis-forms=true} reaches the server's store, which then writes a hold as the
     * version before the compact records did (the whole token, a lease's slot in epoch seconds, the whole hex
     * fingerprint), and the start-up log says so; a server without it writes the compact forms and says nothing.
     */
    @Test
    void writesTheEarlierFormsWhileTheSettingIsOnAndSaysSo(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction", "--appendonly", "yes")) {
            try (Instance server = start(redis, "--holdfast.hold.write-earlier-redis-forms=true")) {
                assertThat(output.getOut()).contains("Holds are written into Redis in the earlier forms");
                LeaseRequest request = heldBy(server.bean(RedisTemporaryStore.class));
                assertThat(redis.cli("HGET", RedisTemporaryStore.recordKey(request.holdId()), "token").trim())
                        .isEqualTo(request.token());
                assertThat(redis.cli("HEXISTS", RedisTemporaryStore.recordKey(request.holdId()), "mac").trim())
                        .isEqualTo("0");
                HoldItem item = request.items().get(0);
                assertThat(redis.cli("GET", RedisTemporaryStore.granuleKey(item.staffId(),
                        item.occupancy().granules()[0])).trim()).endsWith("|" + item.start().getEpochSecond());
                assertThat(redis.cli("GET", RedisTemporaryStore.earlierFingerprintKey(request.clientId(),
                        request.fingerprint())).trim()).isEqualTo(request.holdId().toString());
            }
            String before = output.getOut();
            try (Instance server = start(redis)) {
                assertThat(output.getOut().substring(before.length()))
                        .doesNotContain("Holds are written into Redis in the earlier forms");
                LeaseRequest request = heldBy(server.bean(RedisTemporaryStore.class));
                assertThat(redis.cli("HEXISTS", RedisTemporaryStore.recordKey(request.holdId()), "token").trim())
                        .isEqualTo("0");
                assertThat(redis.cli("HGET", RedisTemporaryStore.recordKey(request.holdId()), "mac").trim())
                        .isNotEmpty();
            }
        }
    }

    /** A hold of a 30-minute slot a month ahead of a staff member of its own, taken by the server's Redis store. */
    private static LeaseRequest heldBy(RedisTemporaryStore store) {
        UUID holdId = UUID.randomUUID();
        String client = "client-" + UUID.randomUUID();
        java.time.Instant start = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .plus(java.time.Duration.ofDays(30)).plusSeconds(10 * 3600);
        java.time.Instant end = start.plus(java.time.Duration.ofMinutes(30));
        long staff = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 1_000_000_000);
        HoldItem item = new HoldItem(staff, 7, start, end, new io.holdfast.availability.Occupancy(start, end));
        java.time.Instant createdAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        LeaseRequest request = new LeaseRequest(holdId, client, MintedTokens.of(holdId, client, createdAt,
                java.util.List.of(item)), createdAt, java.util.List.of(item));
        assertThat(store.hold(request, java.time.Duration.ofMinutes(5), 3).kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        return request;
    }

    private static Instance start(RedisServer redis, String... more) {
        java.util.List<String> properties = new java.util.ArrayList<>(java.util.List.of(
                "--spring.data.redis.url=" + redis.url(),
                "--spring.datasource.url=jdbc:h2:mem:config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--holdfast.cache.warm-on-start=false"));
        properties.addAll(java.util.List.of(more));
        return Instance.start(properties.toArray(String[]::new));
    }
}
