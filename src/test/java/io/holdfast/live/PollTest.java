package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The heartbeat poll of API.md: versions, the change lists, and the cheap "no change" answer. */
@ActiveProfiles("h2")
@Import(PollTest.CountingDataSource.class)
@PrivateRedis
class PollTest extends ServerTest {

    /** Counts the connections the server takes from its pool. */
    @TestConfiguration
    static class CountingDataSource {
        static final AtomicLong BORROWED = new AtomicLong();

        @Bean
        static BeanPostProcessor countConnections() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof DataSource dataSource && name.equals("dataSource")) {
                        return new DelegatingDataSource(dataSource) {
                            @Override
                            public Connection getConnection() throws SQLException {
                                // Only borrows made while serving a poll: background jobs (sweepers, warming,
                                // mail) take connections at any time.
                                if (org.springframework.web.context.request.RequestContextHolder
                                        .getRequestAttributes() instanceof org.springframework.web.context.request
                                        .ServletRequestAttributes request
                                        && request.getRequest().getRequestURI().startsWith("/api/v1/live/poll")) {
                                    BORROWED.incrementAndGet();
                                }
                                return super.getConnection();
                            }
                        };
                    }
                    return bean;
                }
            };
        }
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    RedisServer redis;

    @Test
    void aPollSeesEveryChangeAndAnUnchangedPollTouchesNoDatabase() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String viewer = Fixtures.clientId();
        String other = Fixtures.clientId();
        long atStart = CountingDataSource.BORROWED.get();
        JsonNode first = poll(salon.staffId(), day, viewer, null);
        assertThat(CountingDataSource.BORROWED.get()).as("a first poll of a new day reads it from the database")
                .isGreaterThan(atStart);
        assertThat(first.get("changed").asBoolean()).isTrue();
        assertThat(first.get("storageMode").asString()).isEqualTo("redis");
        assertThat(first.get("redisStatus").asString()).isEqualTo("connected");

        assertThat(fixtures.hold(other, salon.staffId(), salon.serviceId(), salon.start(day, "10:00")).status())
                .isEqualTo(201);
        var booked = fixtures.hold(other, salon.staffId(), salon.serviceId(), salon.start(day, "12:00"));
        assertThat(fixtures.book(booked.json(), "b@example.com").status()).isEqualTo(201);
        assertThat(api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", day.toString(),
                "time", "15:00", "clientId", other)).status()).isEqualTo(204);

        JsonNode changed = poll(salon.staffId(), day, viewer, first.get("version").asLong());
        assertThat(changed.get("changed").asBoolean()).isTrue();
        assertThat(changed.get("version").asLong()).isGreaterThan(first.get("version").asLong());
        assertThat(changed.get("heldSlots")).extracting(JsonNode::asString).containsExactly("10:00");
        assertThat(changed.get("bookedSlots")).extracting(JsonNode::asString).containsExactly("12:00");
        assertThat(changed.get("activeSelections")).extracting(JsonNode::asString).containsExactly("15:00");

        long version = changed.get("version").asLong();
        long before = CountingDataSource.BORROWED.get();
        JsonNode unchanged = poll(salon.staffId(), day, viewer, version);
        assertThat(CountingDataSource.BORROWED.get()).as("connections taken by an unchanged poll").isEqualTo(before);
        assertThat(unchanged.get("changed").asBoolean()).isFalse();
        assertThat(unchanged.get("version").asLong()).isEqualTo(version);
        assertThat(unchanged.has("heldSlots")).isFalse();
    }

    @Test
    void aScheduleChangeRaisesTheVersionOfEveryDay() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(5);
        long before = poll(salon.staffId(), day, Fixtures.clientId(), null).get("version").asLong();
        fixtures.everyDay(salon.staffId(), "09:00", "12:00");
        long after = poll(salon.staffId(), day, Fixtures.clientId(), null).get("version").asLong();
        assertThat(after).isGreaterThan(before);
    }

    /**
     * A version raised where this instance does not see it (another instance, here redis-cli) shows once the version
     * reuse ({@code holdfast.availability.version-reuse}, 50 ms) is over; RecentVersionTest has what shows at once.
     */
    @Test
    void aVersionRaisedElsewhereShowsOnceTheReuseIsOver() throws InterruptedException {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(6);
        long version = poll(salon.staffId(), day, Fixtures.clientId(), null).get("version").asLong();
        redis.cli("SET", "hf:{s:" + salon.staffId() + "}:v:" + day, Long.toString(version + 1_000));
        Thread.sleep(120);
        JsonNode changed = poll(salon.staffId(), day, Fixtures.clientId(), version);
        assertThat(changed.get("changed").asBoolean()).as(changed.toString()).isTrue();
        assertThat(changed.get("version").asLong()).isEqualTo(version + 1_000);
    }

    @Test
    void aPollForAnUnknownStaffMemberIsA404() {
        assertThat(api.get("/api/v1/live/poll?staffId=987654321&date=2030-01-01").code()).isEqualTo("not_found");
    }

    private JsonNode poll(long staffId, LocalDate day, String clientId, Long since) {
        var response = api.get("/api/v1/live/poll?staffId=" + staffId + "&date=" + day + "&clientId=" + clientId
                + (since == null ? "" : "&since=" + since));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
