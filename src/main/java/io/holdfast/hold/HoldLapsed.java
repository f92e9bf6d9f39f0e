package io.holdfast.hold;

import java.util.List;
import java.util.UUID;

/**
 * Published when a hold stops holding without its owner releasing it: its lease ran out ({@code EXPIRED}), or it
 * lost to an earlier hold when the two stores were merged after a failover ({@code LOST_IN_FAILBACK}).
 */
public record HoldLapsed(UUID holdId, String clientId, List<HoldItem> items, Reason reason) {

    public enum Reason {
        EXPIRED, LOST_IN_FAILBACK
    }
}
