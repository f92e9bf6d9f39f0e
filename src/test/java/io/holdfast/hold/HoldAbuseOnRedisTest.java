package io.holdfast.hold;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.PrivateRedis;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HoldAbuseContract} with holds in a Redis of the class's own (the limits counted in the Lua scripts). */
@ActiveProfiles("h2")
@PrivateRedis
class HoldAbuseOnRedisTest extends HoldAbuseContract {

    @Autowired
    RedisFirst router;

    @BeforeEach
    void redisServesHolds() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (router.mode() != StorageMode.REDIS) {
            assertThat(System.currentTimeMillis()).as("waited for Redis mode").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
