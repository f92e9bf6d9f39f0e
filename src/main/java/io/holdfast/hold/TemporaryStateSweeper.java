package io.holdfast.hold;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes lapsed SQL leases and selections. Reads already ignore them; this only keeps the tables small. */
class TemporaryStateSweeper {

    private static final Logger log = LoggerFactory.getLogger(TemporaryStateSweeper.class);

    private final SqlTemporaryStore store;

    TemporaryStateSweeper(SqlTemporaryStore store) {
        this.store = store;
    }

    void sweep() {
        try {
            int removed = store.sweep();
            if (removed > 0) {
                log.debug("Swept {} lapsed temporary rows", removed);
            }
        } catch (RuntimeException failure) {
            log.warn("Sweeping lapsed temporary rows failed; will retry", failure);
        }
    }
}
