package io.holdfast.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of tests that run the whole server on a random port and talk to it over real HTTP. Subclasses pick the
 * database with {@code @ActiveProfiles("h2" | "postgresql" | "mariadb")}.
 */
@ServerTestContext
public abstract class ServerTest {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    protected Api api;
    protected Fixtures fixtures;

    @BeforeEach
    void connect() {
        clock.reset();
        api = new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
        fixtures = new Fixtures(api);
    }
}
