package io.holdfast.support;

import java.util.ArrayList;
import java.util.List;

import io.holdfast.HoldfastApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Holdfast server started in this JVM on a random port, for tests that need several instances sharing
 * Redis and the database (each with its own context, schedulers and streams, as separate processes would have).
 */
public final class Instance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;

    private Instance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts an instance; the arguments are Spring properties like {@code --spring.data.redis.url=...}. */
    public static Instance start(String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--holdfast.demo-data=false",
                "--holdfast.admin.token=" + ServerTest.ADMIN_TOKEN, "--server.tomcat.threads.max=250",
                "--spring.datasource.hikari.maximum-pool-size=20",
                // a healthy Redis on a loaded machine can miss the production 500 ms (see application-h2.yml)
                "--spring.data.redis.timeout=2s",
                // tests hold from loopback: lift the per-address hold limits, as ServerTestContext does
                "--holdfast.hold.max-slots-per-address=1000000", "--holdfast.hold.requests-per-address=100000000"));
        args.addAll(List.of(properties));
        return new Instance(new SpringApplicationBuilder(HoldfastApplication.class).run(args.toArray(String[]::new)));
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + port, ServerTest.ADMIN_TOKEN);
    }

    public Fixtures fixtures() {
        return new Fixtures(api());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
