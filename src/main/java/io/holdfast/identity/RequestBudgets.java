package io.holdfast.identity;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.holdfast.web.ClientNetwork;
import org.springframework.stereotype.Component;

/**
 * Request budgets per client network for other modules (the hold module's hold and selection requests), on the
 * same windows as the sign-in limits: Redis while it serves, so every instance counts against one budget,
 * SQL otherwise. A refusal is {@code rate_limited} (429) with {@code Retry-After}.
 */
@Component
public class RequestBudgets {

    private final RateLimits limits;
    private final Map<Budget, RateLimits.PerWindow> configurations = new ConcurrentHashMap<>();

    /** A budget's configuration key: looked up on every hold and selection request, so no text is built for it. */
    private record Budget(String name, int requests, Duration window) {
    }

    RequestBudgets(RateLimits limits) {
        this.limits = limits;
    }

    /**
     * Takes one request of {@code budget} from the network of {@code clientAddress} ({@link ClientNetwork}: an IPv4
     * address, an IPv6 /64), which may send {@code requests} per {@code window}; all of it returns when the window
     * that began with the first request is over.
     */
    public void take(String budget, String clientAddress, int requests, Duration window, String refusal) {
        RateLimits.PerWindow configuration = configurations.computeIfAbsent(new Budget(budget, requests, window),
                any -> RateLimits.perWindow(requests, window));
        limits.take(budget, configuration, ClientNetwork.of(clientAddress), refusal);
    }
}
