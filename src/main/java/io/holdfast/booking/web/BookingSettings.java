package io.holdfast.booking.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param requireVerifiedEmail when true (the default), a booking needs a guest session whose email is the
 *                             customer's ({@code Authorization: Bearer <session token>}, see the identity module)
 */
@ConfigurationProperties("holdfast.booking")
record BookingSettings(@DefaultValue("true") boolean requireVerifiedEmail) {
}
