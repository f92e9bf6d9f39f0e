package io.holdfast.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Cross-origin calls (a booking widget on the salon's own site) are allowed only from the origins listed in
 * {@code holdfast.cors.allowed-origins}; with none listed, no CORS headers are ever sent and browsers keep other
 * sites' pages from reading any answer. Credentials travel in headers (bearer sessions, manage and hold tokens),
 * never in cookies, so {@code allowCredentials} stays off.
 */
@Configuration(proxyBeanMethods = false)
class CrossOrigin implements WebMvcConfigurer {

    private final CorsSettings settings;

    CrossOrigin(CorsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        String[] origins = settings.allowedOrigins().stream().map(String::trim).filter(o -> !o.isEmpty())
                .toArray(String[]::new);
        if (origins.length == 0) {
            return;
        }
        registry.addMapping("/api/**")
                .allowedOrigins(origins)
                .allowedMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key", "Hold-Token",
                        "Manage-Token")
                .exposedHeaders(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION)
                .allowCredentials(false)
                .maxAge(settings.maxAge().toSeconds());
    }
}
