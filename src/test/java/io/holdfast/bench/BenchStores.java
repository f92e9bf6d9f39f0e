package io.holdfast.bench;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The stores as the server builds them, outside Spring, on the machine's servers. */
public final class BenchStores {

    private BenchStores() {
    }

    /** The PostgreSQL schema of benchmark runs: {@code <HOLDFAST_TEST_SCHEMA>_bench}, so parallel checkouts do not meet. */
    static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast") + "_bench";

    public static HikariDataSource database(String kind) {
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(16);
        switch (kind) {
            case "postgresql":
                config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA);
                config.setUsername("postgres");
                // The server's default read timeout (holdfast.database.read-timeout, 10 s): the stores' bulk work
                // (the failback of 10,000 holds) is measured as the server runs it, and would fail if it were cut.
                config.addDataSourceProperty("socketTimeout", "10");
                break;
            case "h2":
                config.setJdbcUrl("jdbc:h2:mem:bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
                config.setUsername("sa");
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false)
                .schemas(kind.equals("postgresql") ? SCHEMA : "PUBLIC").createSchemas(true)
                .locations("classpath:db/migration/standard").load();
        flyway.clean();
        flyway.migrate();
        return dataSource;
    }

    public static LettuceConnectionFactory redisConnections(int port) {
        return redisConnections(port, Duration.ofMillis(500));
    }

    /**
     * The server's client: fail-fast options (see FailFastRedis) and the given command timeout (the server's is
     * 500 ms; {@link io.holdfast.hold.PeerLockBenchmark} gives every lock 2 s, as the test contexts do, so that a stall of the loaded
     * machine does not end a trial).
     */
    public static LettuceConnectionFactory redisConnections(int port, Duration commandTimeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port),
                org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.builder()
                        .commandTimeout(commandTimeout)
                        .clientOptions(io.holdfast.redis.RedisFirstSupport.failFast(io.lettuce.core.ClientOptions.builder(),
                                Duration.ofSeconds(1)).build())
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    public static StringRedisTemplate template(LettuceConnectionFactory connections) {
        return new StringRedisTemplate(connections);
    }
}
