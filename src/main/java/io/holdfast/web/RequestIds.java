package io.holdfast.web;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request has an id: the caller's {@code X-Request-Id} (a proxy's or a client's, so one id follows a request
 * through every hop) when it is short and plain, else a new one. It is in the logging MDC as {@code requestId} while
 * the request runs (every log line of the request carries it, a field of its own in structured logs) and is echoed
 * in the response, refusals included. An id that does not match is replaced, never reflected: it would be a way to
 * write anything into logs and headers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIds extends OncePerRequestFilter {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    /** UUIDs, ULIDs, trace ids and the like; nothing that could break a log line or a header. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}. A request id needs to be unique, not secret (it is
     * echoed to the caller and written to logs), so a cryptographic generator buys nothing; {@code UUID.randomUUID()}
     * draws from one shared, synchronized SecureRandom, on which every request of a loaded server queued (issue #13).
     * 122 random bits from per-thread generators (seeded apart) collide no more often than UUID.randomUUID()'s.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xf000L | 0x4000L;
        long low = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String incoming = request.getHeader(HEADER);
        String id = incoming != null && VALID.matcher(incoming).matches() ? incoming : newId();
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
