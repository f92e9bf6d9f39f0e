package io.holdfast.hold;

import java.util.List;

/**
 * Published, synchronously, when a hold took or gave up time (not for a lapse: {@link HoldLapsed}), so that viewers
 * see it before the answer goes out.
 */
public record HoldChanged(Change change, List<HoldItem> items) {

    public enum Change { HELD, RELEASED }
}
