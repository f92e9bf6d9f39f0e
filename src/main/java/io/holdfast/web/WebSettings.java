package io.holdfast.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodySize the largest request body accepted (413 {@code payload_too_large} beyond it); the biggest
 *                    legitimate body, a week of working hours, is a few KiB
 */
@ConfigurationProperties("holdfast.web")
record WebSettings(@DefaultValue("64KB") DataSize maxBodySize) {
}
