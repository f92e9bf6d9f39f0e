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
    /** This server's URL once it listens (its port is known then and stays): two property lookups per mail else. */
    private volatile String listening;

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
        String known = listening;
        if (known != null) {
            return known;
        }
        // Read until the server listens: the port of a server on port 0 is known only then (issue #13: the lookups
        // were 1.5 % of a booking's request CPU, at every booking mail).
        String port = environment.getProperty("local.server.port");
        if (port != null) {
            listening = "http://localhost:" + port;
            return listening;
        }
        return "http://localhost:" + environment.getProperty("server.port", "8080");
    }
}
