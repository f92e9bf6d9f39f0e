package io.holdfast.availability;

import java.util.List;

/**
 * The version half of a read that the temporary store makes together with its own ({@link HeldTimes#liveDay}):
 * made by {@link DayVersions} for one day, so that only it knows where versions live and how a switch between the
 * stores raises them. The store calls {@link #redisKeys()} and then {@link #highest} on Redis, or {@link #onSql()}.
 */
public interface VersionRead {

    /**
     * The Redis keys whose highest value is the day's version, all in the staff member's hash slot; first lays the
     * floor of a failback this instance has not laid yet, as every Redis read of a version does.
     */
    List<String> redisKeys();

    /** The version from the values under {@link #redisKeys()}, in that order (null where a key is not set). */
    long highest(List<String> values);

    /** The version in SQL (after laying the floor of a failover this instance has not laid yet). */
    long onSql();
}
