package io.holdfast.notification;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps a booking's manage token, which the booking itself stores only as a hash, sealed in its reminder jobs until
 * the reminder mail puts it in the manage link. The row is deleted once the mail is sent.
 */
@Component
class ManageTokenSeal extends Seal {

    ManageTokenSeal(JdbcClient jdbc) {
        super(jdbc, "reminder-manage-token");
    }
}
