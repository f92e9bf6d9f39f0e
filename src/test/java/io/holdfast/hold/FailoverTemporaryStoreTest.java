package io.holdfast.hold;

import io.holdfast.availability.Selection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.holdfast.redis.StorageMode;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.ServerTestContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.ActiveProfiles;

/** The temporary-store contract through the failover router of a running server, with Redis healthy. */
@ServerTestContext
@ActiveProfiles("h2")
@Import(FailoverTemporaryStoreTest.LapseRecorder.class)
@PrivateRedis
class FailoverTemporaryStoreTest extends TemporaryStoreContract {

    /** Records every lapse the server announces, with when it was announced. */
    static class LapseRecorder {
        final Map<UUID, List<Instant>> announced = new ConcurrentHashMap<>();

        final List<Selection> lapsedSelections = new CopyOnWriteArrayList<>();

        @EventListener
        void on(HoldLapsed lapsed) {
            announced.computeIfAbsent(lapsed.holdId(), id -> new CopyOnWriteArrayList<>()).add(Instant.now());
        }

        @EventListener
        void on(SelectionLapsed lapsed) {
            lapsedSelections.add(lapsed.selection());
        }
    }

    @Autowired
    private LapseRecorder recorder;

    @Autowired
    private FailoverTemporaryStore router;

    @Autowired
    private TemporaryStore injected;

    @Override
    protected TemporaryStore store() {
        return router;
    }

    /**
     * In a running server the lapse watcher (woken by Redis expiry events) competes with any other taker, so here
     * the contract is checked through what the server announces: each lapse once, soon after its expiry, and never
     * a released hold.
     */
    @Override
    @Test
    void eachLapseIsAnnouncedOnceEvenToCompetingTakers() throws Exception {
        long staff = newStaff();
        List<SlotHold> holds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            holds.add(hold(newClient(), List.of(item(staff, String.format("%02d:00", 9 + i), 30)), TTL, LIMIT).hold());
        }
        store().release(holds.get(0).id(), holds.get(0).token());
        Instant lastExpiry = holds.stream().map(SlotHold::expiresAt).max(Instant::compareTo).orElseThrow();
        elapse(TTL.plusSeconds(3));
        // On a loaded machine the watcher may be later still: wait (longer, never less) for every announcement.
        await().atMost(Duration.ofSeconds(30)).until(() -> holds.subList(1, holds.size()).stream()
                .allMatch(hold -> recorder.announced.containsKey(hold.id())));

        for (SlotHold hold : holds.subList(1, holds.size())) {
            List<Instant> when = recorder.announced.get(hold.id());
            assertThat(when).as("announcements of %s", hold.id()).hasSize(1);
            assertThat(Duration.between(hold.expiresAt(), when.get(0)))
                    .as("announced within 2 s of its expiry").isLessThan(Duration.ofSeconds(2));
        }
        assertThat(recorder.announced).doesNotContainKey(holds.get(0).id());
        assertThat(lastExpiry).isBefore(Instant.now());
    }

    /** As with holds, the server's own watcher takes the lapses here: checked through what it announces. */
    @Override
    @Test
    void aSelectionThatRunsOutIsTakenOnceAndAMovedOneIsNot() {
        long staff = newStaff();
        java.time.LocalDate date = java.time.LocalDate.now().plusDays(3);
        String stays = newClient();
        String moves = newClient();
        store().select(new Selection(staff, date, "10:00", stays), TTL);
        store().select(new Selection(staff, date, "11:00", moves), TTL);
        store().select(new Selection(staff, date, "11:30", moves), LONG_TTL);
        elapse(TTL.plusSeconds(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.lapsedSelections.stream()
                .anyMatch(selection -> selection.staffId() == staff));

        assertThat(recorder.lapsedSelections.stream().filter(selection -> selection.staffId() == staff).toList())
                .containsExactly(new Selection(staff, date, "10:00", stays));
        assertThat(store().selections(staff, date)).containsExactly(new Selection(staff, date, "11:30", moves));
    }

    @Test
    void theServerUsesTheRouterAndTheRouterUsesRedis() {
        assertThat(injected).isSameAs(router);
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);
    }
}
