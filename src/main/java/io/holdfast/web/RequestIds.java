package io.holdfast.web;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Every request has an id: the caller's {@code X-Request-Id} (a proxy's or a client's, so one id follows a request
 * through every hop) when it is short and plain, else a new one. It is in the logging MDC as {@code requestId} while
 * the request runs (every log line of the request carries it, a field of its own in structured logs) and is echoed
 * in the response, refusals included. An id that does not match is replaced, never reflected: it would be a way to
 * write anything into logs and headers.
 * <p>
 * It runs for a request's first dispatch only, as a {@code OncePerRequestFilter} would (which skips async and error
 * dispatches by default, and forwards and includes inside a request it already saw), but by the dispatch's type
 * instead of a marker attribute set, read and removed on every request (issue #13).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIds implements Filter {

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
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws ServletException, IOException {
        if (servletRequest.getDispatcherType() != DispatcherType.REQUEST
                || !(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
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
