package io.holdfast.catalog;

import java.util.Map;

import io.holdfast.Refusal;

/** The catalogue refuses: something does not exist, does not fit, or is still needed by bookings. */
public final class CatalogRefused extends Refusal {

    private CatalogRefused(String code, String detail) {
        super(code, detail);
    }

    private CatalogRefused(String code, String detail, Map<String, Object> details) {
        super(code, detail, details, null);
    }

    /** "Staff member 7 does not exist". */
    public static CatalogRefused notFound(String what, Object id) {
        return new CatalogRefused("not_found", doesNotExist(what, id));
    }

    static CatalogRefused invalid(String detail) {
        return new CatalogRefused("validation_failed", detail);
    }

    /** Deleting what future confirmed bookings need; {@code details} lists them. */
    static CatalogRefused inUse(String detail, Map<String, Object> details) {
        return new CatalogRefused("in_use", detail, details);
    }

    /** A schedule change over confirmed bookings without {@code cancelAffected}; {@code details} lists them. */
    static CatalogRefused bookingsAffected(String detail, Map<String, Object> details) {
        return new CatalogRefused("bookings_affected", detail, details);
    }
}
