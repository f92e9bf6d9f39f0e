package io.holdfast.availability;

/**
 * A pub/sub message about a change of a day that names the day's new version and the one before it, which only the
 * raise knows: {@link DayVersions#bump(long, java.time.LocalDate, VersionMessage)} publishes it on Redis in the script
 * that raises the version (one round trip for both, and a day's messages leave in the order of its versions). Its
 * text is {@code head + new version + middle + previous version + tail}.
 */
public record VersionMessage(String channel, String head, String middle, String tail) {

    /** The message's text for these versions, as the script writes it. */
    public String text(Versions versions) {
        return head + versions.current() + middle + versions.previous() + tail;
    }
}
