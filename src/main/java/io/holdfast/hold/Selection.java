package io.holdfast.hold;

import java.time.LocalDate;

/** A client looking at a slot right now (presence, never a lock). {@code time} is the local "HH:mm". */
public record Selection(long staffId, LocalDate date, String time, String clientId) {
}
