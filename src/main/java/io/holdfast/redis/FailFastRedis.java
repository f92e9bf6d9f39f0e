package io.holdfast.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Lettuce options for a Redis that has a fallback: commands are rejected at once while disconnected (instead of
 * queueing until a timeout), and nothing is replayed after a reconnect, because a hold request that timed out has
 * already been answered from SQL; executing it late in Redis would create a second, orphaned hold (the scripts'
 * deadlines catch what a stalled server still finds in its socket). TCP keepalive finds dead peers, and a lost
 * connection is tried again at least every probe interval (see {@link #reconnectWithin}).
 */
final class FailFastRedis {

    private FailFastRedis() {
    }

    /**
     * Lettuce asks this of each command it could send again: the ones queued when a connection dropped (before a
     * replay after the reconnect), and one whose write failed because its connection closed just then, after the
     * caller had handed it over. The answer is always no, and the command fails now: Lettuce leaves a command of the
     * second kind unanswered when the filter refuses it, so its caller waited out the whole command timeout before
     * falling back to SQL (the first hold after a kill took 500 to 610 ms in 5 of 20 rounds, JFR showed it parked in
     * {@code evalSha}). Such a command never reached Redis, so failing it loses nothing.
     */
    static boolean neverAgain(RedisCommand<?, ?, ?> command) {
        command.completeExceptionally(new RedisConnectionException(
                "The connection to Redis closed before this command was answered; it is not sent again"));
        return true;
    }

    static ClientOptions.Builder apply(ClientOptions.Builder builder, Duration connectTimeout) {
        return builder
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .replayFilter(FailFastRedis::neverAgain)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout)
                        .keepAlive(SocketOptions.KeepAliveOptions.builder().enable().idle(Duration.ofSeconds(30))
                                .interval(Duration.ofSeconds(10)).count(3).build())
                        .build());
    }

    /**
     * Lettuce's default reconnect delay doubles with every failed attempt up to 30 s: after an outage its connections
     * came back seconds after Redis did (a server was back on Redis 5 to 6 s after it, measured), and until then the
     * health probe, publishing and the subscription all failed, so the failback waited as long. Capped at
     * {@code most} (the health probe's interval), with jitter so that many instances do not all reconnect to a
     * restarted Redis in the same instant.
     */
    static ClientResources.Builder reconnectWithin(ClientResources.Builder builder, Duration most) {
        return builder.reconnectDelay(Delay.equalJitter(Duration.ofMillis(10), most, 2, TimeUnit.MILLISECONDS));
    }
}
