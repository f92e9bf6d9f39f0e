package io.holdfast.cache;

/** The caches Holdfast keeps; each is one Spring {@link org.springframework.cache.Cache} with two levels. */
public final class CacheNames {

    /** A staff member's day: schedule minus confirmed bookings. Key: {@link StaffDayKey}. */
    public static final String AVAILABILITY = "availability";
    public static final String LOCATIONS = "catalog.locations";
    public static final String LOCATION = "catalog.location";
    public static final String SERVICES = "catalog.services";
    public static final String SERVICE = "catalog.service";
    public static final String STAFF = "catalog.staff";
    public static final String STAFF_MEMBER = "catalog.staffMember";
    /** Today's figures of one location. */
    public static final String DASHBOARD = "dashboard";

    private CacheNames() {
    }
}
