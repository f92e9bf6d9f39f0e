package io.holdfast.cache;

/** The caches Holdfast keeps; each is one Spring {@link org.springframework.cache.Cache} with two levels. */
public final class CacheNames {

    /** A staff member's day: schedule minus confirmed bookings. Key: {@link StaffDayKey}. */
    public static final String AVAILABILITY = "availability";
    /**
     * A staff member's schedule around one date (working hours, time off): what a hold checks its start against when
     * the day is not cached. A booking does not drop it, as it drops the day. Key: {@link StaffDayKey}.
     */
    public static final String SCHEDULE = "availability.schedule";
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
