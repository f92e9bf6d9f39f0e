package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.holdfast.support.MutableClock;
import io.holdfast.support.ServerTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

/**
 * The store contract against the SQL store of the running application (its JdbcClient, transactions and clock).
 * Time passes by moving the test clock, which the store reads for every expiry decision.
 */
@ServerTestContext
abstract class SqlTemporaryStoreTest extends TemporaryStoreContract {

    @Autowired
    private SqlTemporaryStore store;

    @Autowired
    private MutableClock clock;

    @Autowired
    private HoldSettings settings;

    @BeforeEach
    void pinClock() {
        clock.pin(Instant.now());
    }

    @AfterEach
    void releaseClock() {
        clock.reset();
    }

    @Override
    protected TemporaryStore store() {
        return store;
    }

    @Override
    protected void elapse(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Test
    void reportsSqlMode() {
        assertThat(store.mode()).isEqualTo(StorageMode.SQL);
    }

    @Test
    void lapsedHoldRecordIsGoneAfterItsGrace() {
        SlotHold hold = hold(newClient(), List.of(item(newStaff(), "10:00", 30)), TTL, LIMIT).hold();

        elapse(TTL.plus(settings.recordGrace()).plusSeconds(1));

        assertThat(store.findHold(hold.id())).isEmpty();
    }
}

@ActiveProfiles("h2")
class SqlTemporaryStoreOnH2Test extends SqlTemporaryStoreTest {
}

@ActiveProfiles("postgresql")
class SqlTemporaryStoreOnPostgresTest extends SqlTemporaryStoreTest {
}

@ActiveProfiles("mariadb")
class SqlTemporaryStoreOnMariaDbTest extends SqlTemporaryStoreTest {
}
