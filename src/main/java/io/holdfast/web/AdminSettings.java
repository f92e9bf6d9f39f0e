package io.holdfast.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code holdfast.admin.*}.
 *
 * @param token the bearer token for {@code /api/v1/admin/**} ({@code HOLDFAST_ADMIN_TOKEN}); unset or blank: a
 *              random one per start, printed once
 */
@ConfigurationProperties("holdfast.admin")
record AdminSettings(String token) {
}
