package io.holdfast.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scrape reader takes labels apart as the text format escapes them, not by searching the line. */
class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP holdfast_holds_total Hold requests
            # TYPE holdfast_holds_total counter
            holdfast_holds_total{outcome="granted",reason="none"} 5.0
            holdfast_holds_total{outcome="refused",reason="slot_held"} 2.0
            holdfast_holds_total{outcome="refused",reason="hold_limit_reached",} 1.0 1700000000000
            # TYPE odd gauge
            odd{path="a,b=\\"c\\"\\\\d\\ne"} NaN
            odd_bucket{le="+Inf"} +Inf
            bare 3
            """;

    @Test
    void readsNamesLabelsEscapesAndValues() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertThat(text.sum("holdfast_holds_total")).isEqualTo(8.0);
        assertThat(text.sum("holdfast_holds_total", "outcome", "refused")).isEqualTo(3.0);
        assertThat(text.sum("holdfast_holds_total", "outcome", "refused", "reason", "slot_held")).isEqualTo(2.0);
        assertThat(text.sum("holdfast_holds_total", "reason", "slot_booked")).isZero();
        assertThat(text.samples("odd").get(0).labels()).containsEntry("path", "a,b=\"c\"\\d\ne");
        assertThat(text.samples("odd").get(0).value()).isNaN();
        assertThat(text.samples("odd_bucket", "le", "+Inf").get(0).value()).isInfinite();
        assertThat(text.sum("bare")).isEqualTo(3.0);
        assertThat(text.type("holdfast_holds_total")).isEqualTo("counter");
        assertThat(text.type("odd")).isEqualTo("gauge");
    }
}
