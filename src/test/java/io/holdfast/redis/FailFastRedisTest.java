package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The replay filter of the fail-fast options: a command Lettuce would send again is refused and fails at once, so a
 * caller whose command was caught by a dropping connection falls back to SQL now instead of after the timeout.
 */
class FailFastRedisTest {

    @Test
    void aCommandLettuceWouldSendAgainIsRefusedAndFailsAtOnce() {
        ClientOptions options = FailFastRedis.apply(ClientOptions.builder(), Duration.ofSeconds(1)).build();
        AsyncCommand<String, String, String> command = new AsyncCommand<>(
                new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8)));

        assertThat(options.getReplayFilter().test(command)).as("never sent again").isTrue();

        assertThat(command.isDone()).as("answered, not left to its timeout").isTrue();
        Assertions.assertThatThrownBy(command::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RedisConnectionException.class);
        assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
