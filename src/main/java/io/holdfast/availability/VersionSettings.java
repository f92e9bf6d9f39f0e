package io.holdfast.availability;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param versionReuse how long an instance answers "has this day moved?" (the unchanged poll, a cached day's reuse of
 *                     its holds) from the day's version as it last read or raised it ({@link DayVersions#recent}), and
 *                     reads it anew in the background in its last quarter (Redis only). A change on
 *                     another instance shows here within this, one made here at once; 0 reads every time
 */
@ConfigurationProperties("holdfast.availability")
record VersionSettings(@DefaultValue("50ms") Duration versionReuse) {
}
