package io.holdfast.live.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxStreams         open event streams one instance serves at most; 0 (the default): as many as leave a
 *                           quarter of the connections and three quarters of the heap to other requests
 *                           ({@link StreamCap}), which a set value can lower but not raise
 * @param maxStreamsPerIp    open streams one client address (IPv6: one /64) may hold, so nobody can use up the rest
 * @param streamTimeout      a stream is closed after this and the client reconnects (EventSource does so itself)
 * @param heartbeat          a comment line at least this often keeps proxies from closing idle streams (API.md: 15 s)
 * @param relayCheckInterval how often the Redis subscription is proven alive by a message to itself
 */
@ConfigurationProperties("holdfast.live")
record LiveSettings(@DefaultValue("0") int maxStreams, @DefaultValue("50") int maxStreamsPerIp,
        @DefaultValue("30m") Duration streamTimeout, @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("5s") Duration relayCheckInterval) {
}
