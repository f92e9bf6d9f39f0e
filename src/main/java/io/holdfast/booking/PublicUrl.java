package io.holdfast.booking;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where guests and staff reach Holdfast: {@code holdfast.public-url}, or when unset this server on the port it really
 * listens on. The base of the manage links in booking mails and of the staff calendar feed URLs.
 */
@Component
class PublicUrl {

    private final String configured;
    private final Environment environment;

    PublicUrl(PublicUrlSettings settings, Environment environment) {
        String url = settings.publicUrl() == null ? "" : settings.publicUrl().strip();
        this.configured = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.environment = environment;
    }

    /** The base URL without a trailing slash. */
    String base() {
        if (!configured.isBlank()) {
            return configured;
        }
        // Read at each call: the port of a server on port 0 is known only once it listens.
        return "http://localhost:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080"));
    }
}
