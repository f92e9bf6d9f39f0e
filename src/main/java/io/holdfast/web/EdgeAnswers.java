package io.holdfast.web;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Answers the hot reads ({@link EdgeAnswer}s: the unchanged poll, a cached availability day) right after the
 * request id and the security headers, before the metrics observation and Spring MVC: through MVC the parameter
 * binding (generic conversion, whose converter cache compares annotated type descriptors), the parameter validation,
 * the handler lookup, content negotiation and the observation cost the unchanged poll about half of its CPU
 * (issue #13). The answer is MVC's own, byte for byte: the same JSON from the same {@code JsonMapper}, status 200,
 * {@code Content-Type: application/json}, the edge's headers ({@code X-Request-Id}, the security headers), and the
 * request is counted in {@code http.server.requests} under the same tags MVC gives it (uri the path, status 200,
 * outcome SUCCESS, no exception). What it does not do: the long task timer {@code http.server.requests.active}
 * does not see these requests while they run.
 * <p>
 * Only a plain {@code GET} is answered here: no {@code Accept} other than {@code *}{@code /*}, no {@code Origin}
 * (CORS is MVC's), no body (whose size {@link RequestBodyLimit} judges), the parameters plainly valid
 * ({@link EdgeQuery}); for anything else, and for any refusal or failure of the answer, the request goes on to MVC
 * as before, which gives the same 400, 404 or 409 problem+json.
 * And only while the settings are those application.yml ships (no context path, the observation's settings left
 * alone, no CORS origins allowed, whose handling adds {@code Vary} headers): with any changed, MVC answers every
 * request.
 */
final class EdgeAnswers implements Filter {

    static final String METRIC = "http.server.requests";

    private final Map<String, Answering> byPath = new HashMap<>();

    private EdgeAnswers(List<EdgeAnswer> answers, MeterRegistry registry) {
        for (EdgeAnswer answer : answers) {
            byPath.put(answer.path(), new Answering(answer, registry));
        }
    }

    /** The answers at the edge, or null when there are none or the settings differ from those they answer for. */
    static EdgeAnswers whenShippedSettings(Environment environment, List<EdgeAnswer> answers, MeterRegistry registry) {
        if (answers.isEmpty() || registry == null || !shippedSettings(Binder.get(environment))) {
            return null;
        }
        return new EdgeAnswers(answers, registry);
    }

    static boolean shippedSettings(Binder settings) {
        return settings.bind("server.servlet.context-path", String.class).isBound() == false
                && settings.bind("spring.mvc.servlet.path", String.class).isBound() == false
                && settings.bind("management.observations", Bindable.mapOf(String.class, Object.class))
                        .map(Map::isEmpty).orElse(true)
                && settings.bind("management.metrics.enable", Bindable.mapOf(String.class, Object.class))
                        .map(Map::isEmpty).orElse(true)
                // With origins allowed, MVC's CORS handling adds Vary headers to every API answer (CrossOrigin).
                && settings.bind("holdfast.cors.allowed-origins", Bindable.listOf(String.class)).orElse(List.of())
                        .stream().allMatch(String::isBlank);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        Answering answering = plain(http) ? byPath.get(http.getRequestURI()) : null;
        if (answering == null || !answering.answer(http, (HttpServletResponse) response)) {
            chain.doFilter(request, response);
        }
    }

    private static boolean plain(HttpServletRequest request) {
        // A body (which RequestBodyLimit may refuse), CORS and content negotiation are MVC's to handle.
        if (request.getDispatcherType() != DispatcherType.REQUEST || !"GET".equals(request.getMethod())
                || request.getHeader(HttpHeaders.ORIGIN) != null || request.getContentLengthLong() > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept == null || accept.equals("*/*");
    }

    /** One answer and its timer, registered at its first use (as MVC's observation registers it). */
    private static final class Answering {
        private final EdgeAnswer answer;
        private final MeterRegistry registry;
        private volatile Timer timer;

        Answering(EdgeAnswer answer, MeterRegistry registry) {
            this.answer = answer;
            this.registry = registry;
        }

        /** True when answered; false when nothing was written and MVC is to answer. */
        boolean answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long start = System.nanoTime();
            byte[] body;
            // As RequestContextFilter does for MVC: code under the answer may look at the current request.
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
            try {
                body = answer.answer(request);
            } catch (RuntimeException refusedOrFailed) {
                // A refusal (unknown staff member, a service not offered) or a failure: MVC asks again and answers
                // it in its words (ProblemHandler). The answers only read, so asking twice changes nothing.
                body = null;
            } finally {
                RequestContextHolder.resetRequestAttributes();
            }
            if (body == null) {
                return false;
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            timer().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return true;
        }

        private Timer timer() {
            Timer known = timer;
            if (known == null) {
                // The tags of Spring's observation convention for a 200 of this path (DefaultMeterObservationHandler
                // adds "error"); EdgeAnswersTest checks that MVC's requests and these count in one series.
                known = Timer.builder(METRIC)
                        .tags(Tags.of("error", "none", "exception", "none", "method", "GET", "outcome", "SUCCESS",
                                "status", "200", "uri", answer.path()))
                        .register(registry);
                timer = known;
            }
            return known;
        }
    }
}
