package io.holdfast.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.holdfast.HoldfastApplication;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Holdfast servers in this JVM, as behind a load balancer: each its own Spring context, HTTP port, caches and
 * connection pool, sharing one private Redis and one H2 database.
 */
final class TwoInstances implements AutoCloseable {

    static final String ADMIN_TOKEN = "cache-test-admin-token-0123456789";

    final RedisServer redis = RedisServer.start();
    final Instance a;
    final Instance b;

    TwoInstances(String... extra) {
        String database = "jdbc:h2:mem:cache-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        a = new Instance(start(database, extra));
        b = new Instance(start(database, extra));
    }

    private ConfigurableApplicationContext start(String database, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--holdfast.demo-data=false",
                "--holdfast.admin.token=" + ADMIN_TOKEN, "--spring.datasource.url=" + database,
                "--spring.data.redis.url=" + redis.url(), "--holdfast.redis.probe-interval=200ms",
                "--holdfast.cache.warm-on-start=false", "--spring.datasource.hikari.maximum-pool-size=30",
                "--server.tomcat.threads.max=250",
                // Read-your-writes across instances and waiting for another instance's load hold only within these
                // bounds (250 ms, 3 s by default), which a loaded machine can overrun: generous here, the promises
                // themselves are what these tests check.
                "--holdfast.cache.ack-timeout=30s", "--holdfast.cache.load-lease=30s",
                // a healthy Redis on a loaded machine can miss the production 500 ms (see application-h2.yml)
                "--spring.data.redis.timeout=2s"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(HoldfastApplication.class, SqlProbe.Installed.class)
                .run(args.toArray(String[]::new));
    }

    static final class Instance {

        final ConfigurableApplicationContext context;
        final Api api;
        final Fixtures fixtures;
        final SqlProbe sql;

        Instance(ConfigurableApplicationContext context) {
            this.context = context;
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            this.api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
            this.fixtures = new Fixtures(api);
            this.sql = context.getBean(SqlProbe.class);
        }

        double counter(String name, String... tags) {
            var counter = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
            return counter == null ? 0 : counter.count();
        }
    }

    @Override
    public void close() {
        a.context.close();
        b.context.close();
        redis.close();
    }
}
