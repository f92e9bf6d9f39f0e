package io.holdfast.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one Spring test context of Holdfast's server tests: the whole server on a random port, a cleaned schema
 * and a movable clock. Test classes that cannot extend {@link ServerTest} (for example a contract suite's
 * subclass) put this on themselves and so share the cached context of the same database profile.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "holdfast.admin.token=" + ServerTest.ADMIN_TOKEN,
        "holdfast.demo-data=false",
        "spring.flyway.clean-disabled=false",
        "server.tomcat.threads.max=250",
        "spring.datasource.hikari.maximum-pool-size=30",
        // Requests come from loopback; each simulated guest names its own address in X-Forwarded-For (see
        // Fixtures.clientAddress), so the per-client rate limits apply per guest, as behind a real proxy.
        "server.forward-headers-strategy=native",
        // Most tests hold from loopback without naming an address, all in one shared server: the per-address hold
        // limits would then count the whole suite as one client. Tests of those limits set them back (HoldAbuseTest).
        "holdfast.hold.max-slots-per-address=1000000",
        "holdfast.hold.requests-per-address=100000000"
})
@Import(TestSupportConfiguration.class)
public @interface ServerTestContext {
}
