package io.holdfast.hold;

import io.holdfast.availability.Selection;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.holdfast.redis.FailbackStep;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.MutableClock;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
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

    /** Lapses announced by the application's own watcher, of every context these tests run in. */
    private static final Queue<java.util.UUID> APPLICATION_LAPSES = new ConcurrentLinkedQueue<>();
    private static final Queue<Selection> APPLICATION_SELECTION_LAPSES =
            new ConcurrentLinkedQueue<>();
    private static final Set<Object> LISTENING = ConcurrentHashMap.newKeySet();

    @Autowired
    private ConfigurableApplicationContext context;

    @BeforeEach
    void pinClock() {
        clock.pin(Instant.now());
        if (LISTENING.add(context)) {
            context.addApplicationListener(event -> {
                if (event instanceof PayloadApplicationEvent<?> payload) {
                    if (payload.getPayload() instanceof HoldLapsed lapsed) {
                        APPLICATION_LAPSES.add(lapsed.holdId());
                    } else if (payload.getPayload() instanceof SelectionLapsed lapsed) {
                        APPLICATION_SELECTION_LAPSES.add(lapsed.selection());
                    }
                }
            });
        }
    }

    @Override
    protected List<java.util.UUID> lapsesTakenByTheApplication() {
        return List.copyOf(APPLICATION_LAPSES);
    }

    @Override
    protected List<Selection> selectionLapsesTakenByTheApplication() {
        return List.copyOf(APPLICATION_SELECTION_LAPSES);
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

    /**
     * The three passes of a failback as a server makes them (bulk, gated, after the switch) against a private
     * redis-server: the gated pass copies only what changed since the bulk (an extension and a new hold) and SQL
     * forgets nothing until the last pass, so until traffic moves SQL still refuses the copied holds' time; the last
     * pass forgets every copied hold, the ones it did not copy again too.
     */
    @Test
    void theGatedPassCopiesOnlyWhatChangedAndOnlyTheLastForgets() {
        try (RedisServer redisServer = RedisServer.start()) {
            var connections = redisServer.connections();
            try {
                RedisTemporaryStore redis = new RedisTemporaryStore(
                        new org.springframework.data.redis.core.StringRedisTemplate(connections),
                        settings.recordGrace(), Duration.ofSeconds(2));
                FailbackStep.Copy failback = new FailbackSync(redis, store, event -> { }).begin();
                long staff = newStaff();
                SlotHold unchanged = hold(newClient(), List.of(item(staff, "09:00", 30)), LONG_TTL, LIMIT).hold();
                SlotHold extended = hold(newClient(), List.of(item(staff, "10:00", 30)), LONG_TTL, LIMIT).hold();

                failback.pass(false);

                assertThat(redis.findHold(unchanged.id())).get().extracting(SlotHold::expiresAt)
                        .isEqualTo(unchanged.expiresAt());
                Instant longer = store.extend(extended.id(), extended.token(), LONG_TTL.multipliedBy(2)).orElseThrow();
                SlotHold added = hold(newClient(), List.of(item(staff, "11:00", 30)), LONG_TTL, LIMIT).hold();

                // A pass counts the selections and released markers it copied too; those of other tests are copied
                // in every pass, holds only when they changed.
                int others = store.liveSelections().size() + store.tombstones().size();
                int copiedAtTheGate = failback.pass(false);

                assertThat(copiedAtTheGate - others).as("the extended hold and the new one, nothing else").isEqualTo(2);
                assertThat(redis.findHold(extended.id())).get().extracting(SlotHold::expiresAt).isEqualTo(longer);
                assertThat(redis.findHold(added.id())).get().extracting(SlotHold::items).isEqualTo(added.items());
                for (SlotHold copied : List.of(unchanged, extended, added)) {
                    assertThat(store.findHold(copied.id())).as("still in SQL: %s", copied.id()).isPresent();
                    assertThat(hold(newClient(), copied.items(), LONG_TTL, LIMIT).kind())
                            .as("time of %s at the gate", copied.id()).isEqualTo(HoldOutcome.Kind.CONFLICT);
                }

                int copiedAfter = failback.pass(true);

                assertThat(copiedAfter - others).as("no hold changed since the gate").isZero();
                for (SlotHold copied : List.of(unchanged, extended, added)) {
                    assertThat(store.findHold(copied.id())).as("forgotten: %s", copied.id()).isEmpty();
                    assertThat(redis.findHold(copied.id())).as("in Redis: %s", copied.id()).isPresent();
                }
            } finally {
                connections.destroy();
            }
        }
    }

    /**
     * The failback's forget deletes the holds it copied, more of them than one statement took before (500), with
     * their leases, and nothing written after they were listed: that hold keeps refusing its time.
     */
    @Test
    void forgetDeletesTheCopiedHoldsAndOnlyThose() {
        List<SlotHold> copied = new java.util.ArrayList<>();
        long staff = newStaff();
        for (int i = 0; i < 520; i++) {
            if (i % 20 == 0) {
                staff = newStaff();
            }
            String time = String.format("%02d:%02d", 8 + (i % 20) / 2, (i % 2) * 30);
            HoldOutcome outcome = hold(newClient(), List.of(item(staff, time, 30)), TTL, LIMIT);
            assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
            copied.add(outcome.hold());
        }
        long lateStaff = newStaff();
        SlotHold late = hold(newClient(), List.of(item(lateStaff, "10:00", 30)), TTL, LIMIT).hold();

        store.forget(copied.stream().map(SlotHold::id).toList(), List.of(), List.of());

        for (SlotHold hold : copied) {
            assertThat(store.findHold(hold.id())).as("forgotten %s", hold.id()).isEmpty();
        }
        assertThat(store.findHold(late.id())).contains(late);
        for (SlotHold hold : List.of(copied.get(0), copied.get(260), copied.get(519))) {
            assertThat(hold(newClient(), hold.items(), TTL, LIMIT).kind()).as("time of forgotten %s", hold.id())
                    .isEqualTo(HoldOutcome.Kind.CREATED);
        }
        assertThat(hold(newClient(), List.of(item(lateStaff, "10:15", 30)), TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CONFLICT);
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
