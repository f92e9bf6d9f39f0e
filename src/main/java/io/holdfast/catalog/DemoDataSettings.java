package io.holdfast.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code holdfast.demo-data}.
 *
 * @param demoData seed the demo salon; unset: only on an empty embedded H2 database
 */
@ConfigurationProperties("holdfast")
record DemoDataSettings(Boolean demoData) {
}
