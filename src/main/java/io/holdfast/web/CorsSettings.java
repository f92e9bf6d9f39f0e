package io.holdfast.web;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowedOrigins origins whose pages may call the API from a browser ({@code https://salon.example}); empty
 *                       (the default) means no cross-origin calls at all
 * @param maxAge         how long a browser may cache a pre-flight answer
 */
@ConfigurationProperties("holdfast.cors")
record CorsSettings(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
}
