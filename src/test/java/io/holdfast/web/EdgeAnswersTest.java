package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.PrometheusText;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The hot reads answered at the edge ({@link EdgeAnswers}: the poll and a day's availability) say what Spring MVC
 * says for the same request, byte for byte: each plain request (no {@code Accept}) is compared with MVC's own answer,
 * asked for with {@code Accept: application/json}, which the edge leaves to MVC. Bad input still reaches MVC and gets
 * its 400 problem+json, and both paths count in the same {@code http.server.requests} series.
 */
@ActiveProfiles("h2")
@PrivateRedis
@Import(EdgeAnswersTest.CountingHandlers.class)
class EdgeAnswersTest extends ServerTest {

    /** Counts the requests of the two paths that reach a Spring MVC handler. */
    @TestConfiguration
    static class CountingHandlers {
        static final AtomicLong MVC = new AtomicLong();

        @Bean
        WebMvcConfigurer countReads() {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(new HandlerInterceptor() {
                        @Override
                        public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
                                Object handler) {
                            MVC.incrementAndGet();
                            return true;
                        }
                    }).addPathPatterns("/api/v1/availability", "/api/v1/live/poll");
                }
            };
        }
    }

    @Test
    void availabilityIsMvcsAnswerByteForByte() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String holder = Fixtures.clientId();
        assertThat(fixtures.hold(holder, salon.staffId(), salon.serviceId(), salon.start(day, "10:00")).status())
                .isEqualTo(201);
        String path = "/api/v1/availability?staffId=" + salon.staffId() + "&serviceId=" + salon.serviceId()
                + "&date=" + day;
        Api.Response mine = assertSameAnswer(path + "&clientId=" + holder);
        assertThat(mine.body()).contains("\"mine\"").contains("\"free\"");
        assertThat(assertSameAnswer(path).body()).contains("\"held\"");
        // A day past the booking window: no slots, and the reason
        assertThat(assertSameAnswer("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day.plusDays(365)).body()).contains("\"reason\"");
    }

    @Test
    void pollIsMvcsAnswerByteForByte() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String client = Fixtures.clientId();
        assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "11:00"))
                .status()).isEqualTo(201);
        String path = "/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day + "&clientId=" + client;
        Api.Response changed = assertSameAnswer(path);
        assertThat(changed.json().get("changed").asBoolean()).isTrue();
        assertThat(changed.body()).contains("\"heldSlots\":[\"11:00\"]");
        long version = changed.json().get("version").asLong();
        Api.Response unchanged = assertSameAnswer(path + "&since=" + version);
        assertThat(unchanged.json().get("changed").asBoolean()).isFalse();
        assertThat(unchanged.body()).doesNotContain("heldSlots");
        assertThat(assertSameAnswer(path + "&since=0").json().get("changed").asBoolean()).isTrue();
    }

    @Test
    void plainReadsNeverReachMvcAndBadInputAlwaysDoes() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String availability = "/api/v1/availability?serviceId=" + salon.serviceId() + "&date=" + day + "&staffId=";
        String poll = "/api/v1/live/poll?date=" + day + "&staffId=";
        long before = CountingHandlers.MVC.get();
        assertThat(api.get(availability + salon.staffId()).status()).isEqualTo(200);
        assertThat(api.get(poll + salon.staffId() + "&since=0", "Accept", "*/*").status()).isEqualTo(200);
        assertThat(CountingHandlers.MVC.get()).as("answered at the edge").isEqualTo(before);

        Map<String, String> refused = new TreeMap<>(Map.of(
                availability + "0", "staffId: must be greater than 0, got 0",
                availability + "abc", "staffId",
                poll + salon.staffId() + "&since=-1", "since: must be greater than or equal to 0, got -1",
                poll + salon.staffId() + "&clientId=bad!", "clientId",
                "/api/v1/live/poll?date=08.12.2026&staffId=" + salon.staffId(), "date",
                "/api/v1/live/poll?staffId=" + salon.staffId(), "date is required"));
        refused.forEach((path, detail) -> {
            Api.Response answer = api.get(path);
            assertThat(answer.status()).as(path + " " + answer).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.code()).isEqualTo("validation_failed");
            assertThat(answer.json().get("detail").asString()).as(path).contains(detail);
        });
        Api.Response unknown = api.get(availability + "999999999");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("not_found");
        Api.Response unknownPoll = api.get(poll + "999999999" + "&since=0");
        assertThat(unknownPoll.status()).as(unknownPoll.toString()).isEqualTo(404);
        assertThat(CountingHandlers.MVC.get()).as("every refusal is MVC's").isEqualTo(before + refused.size() + 2);
    }

    @Test
    void bothPathsCountInOneSeriesOfTheRequestMetric() throws InterruptedException {
        var salon = fixtures.salon();
        String path = "/api/v1/live/poll?staffId=" + salon.staffId() + "&date="
                + LocalDate.now(salon.zone()).plusDays(2);
        assertThat(api.get(path, "Accept", "application/json").status()).isEqualTo(200);
        assertThat(api.get(path).status()).isEqualTo(200);
        double before = awaitCount(0);
        assertThat(api.get(path).status()).isEqualTo(200);
        assertThat(api.get(path, "Accept", "application/json").status()).isEqualTo(200);
        assertThat(awaitCount(before + 2)).as("one edge answer and one of MVC's").isEqualTo(before + 2);
        List<PrometheusText.Sample> series = pollSeries();
        assertThat(series).as("one series: the edge's tags are MVC's").hasSize(1);
        assertThat(series.get(0).labels()).containsEntry("status", "200").containsEntry("outcome", "SUCCESS")
                .containsEntry("method", "GET").containsEntry("exception", "none");
    }

    /** The poll's 200s in http.server.requests, once at least {@code atLeast} (MVC counts after it answered). */
    private double awaitCount(double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        double count = pollSeries().stream().mapToDouble(PrometheusText.Sample::value).sum();
        while (count < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
            count = pollSeries().stream().mapToDouble(PrometheusText.Sample::value).sum();
        }
        return count;
    }

    private List<PrometheusText.Sample> pollSeries() {
        Api.Response scraped = api.get("/actuator/prometheus");
        assertThat(scraped.status()).as(scraped.toString()).isEqualTo(200);
        return PrometheusText.parse(scraped.body()).samples("http_server_requests_seconds_count").stream()
                .filter(sample -> "/api/v1/live/poll".equals(sample.labels().get("uri"))
                        && "200".equals(sample.labels().get("status")))
                .toList();
    }

    /** The edge's answer of a plain GET and MVC's for the same request: same status, headers and body. */
    private Api.Response assertSameAnswer(String path) {
        long before = CountingHandlers.MVC.get();
        Api.Response edge = api.get(path);
        assertThat(CountingHandlers.MVC.get()).as("the plain request was answered at the edge").isEqualTo(before);
        Api.Response mvc = api.get(path, "Accept", "application/json");
        assertThat(CountingHandlers.MVC.get()).as("asked by content type: MVC's").isEqualTo(before + 1);
        assertThat(edge.status()).as(edge.toString()).isEqualTo(200).isEqualTo(mvc.status());
        assertThat(edge.body()).isEqualTo(mvc.body());
        assertThat(headers(edge)).isEqualTo(headers(mvc));
        assertThat(edge.headers().firstValue("X-Request-Id")).as("request id").isPresent();
        assertThat(edge.headers().firstValue("Cache-Control")).as("security headers").hasValue("no-store");
        return edge;
    }

    /** Every header but the two that differ between any two answers. */
    private static Map<String, List<String>> headers(Api.Response response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        headers.remove("x-request-id");
        return headers;
    }
}
