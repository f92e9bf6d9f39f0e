package io.holdfast.booking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code holdfast.public-url}.
 *
 * @param publicUrl where guests reach Holdfast, the base of the manage links in booking mails
 *                  ({@code HOLDFAST_PUBLIC_URL}); unset: this server on the port it really listens on
 */
@ConfigurationProperties("holdfast")
record PublicUrlSettings(String publicUrl) {
}
