package io.holdfast.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

/**
 * Lettuce options for a Redis that has a fallback: commands are rejected at once while disconnected (instead of
 * queueing until a timeout), and nothing is replayed after a reconnect, because a hold request that timed out has
 * already been answered from SQL; executing it late in Redis would create a second, orphaned hold (the scripts'
 * deadlines catch what a stalled server still finds in its socket). TCP keepalive finds dead peers.
 */
final class FailFastRedis {

    private FailFastRedis() {
    }

    static ClientOptions.Builder apply(ClientOptions.Builder builder, Duration connectTimeout) {
        return builder
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .replayFilter(command -> true)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(Duration.ofSeconds(30))
                                .interval(Duration.ofSeconds(10)).count(3).build())
                        .build());
    }
}
