package io.holdfast.hold;

import io.holdfast.availability.Selection;
import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.LiveDay;
import io.holdfast.availability.VersionRead;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.holdfast.catalog.Granules;
import io.holdfast.availability.Occupancy;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TemporaryStore} must show, whatever keeps the state. A subclass supplies the store and
 * a way to let time pass: a store on a movable clock advances it, a store on real expiry (Redis TTLs) really waits.
 * The tests therefore only ever let time pass through {@link #elapse}, use short TTLs, and never assert on how long
 * anything took.
 *
 * <p>Every test works on staff ids and client ids of its own, so the tests need no clean-up and may share a store.
 */
public abstract class TemporaryStoreContract {

    /** Short lease for expiry tests. */
    protected static final Duration TTL = Duration.ofSeconds(2);
    /** A lease that outlives any test, for tests that are not about expiry (threads may be slow to start). */
    protected static final Duration LONG_TTL = Duration.ofMinutes(5);
    /** The selection TTL of API.md ("lives 10 s unless renewed"). */
    protected static final Duration SELECTION_TTL = Duration.ofSeconds(10);
    protected static final int LIMIT = 3;

    private static final AtomicLong STAFF = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000));
    private static final long SERVICE = 7;

    /** Midnight UTC a month ahead: slots are plain instants to a store, it never checks them against a schedule. */
    private final Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30));

    /** The store under test. */
    protected abstract TemporaryStore store();

    /**
     * Holds whose lapse a running application took itself (its lapse watcher competes with the test's takers when
     * the store under test is the application's own); none for a store the test owns alone.
     */
    protected List<UUID> lapsesTakenByTheApplication() {
        return List.of();
    }

    /** As {@link #lapsesTakenByTheApplication()}, for selections. */
    protected List<Selection> selectionLapsesTakenByTheApplication() {
        return List.of();
    }

    private boolean allAnnounced(List<UUID> announced, List<UUID> expected) {
        List<UUID> all = new ArrayList<>(announced);
        all.addAll(lapsesTakenByTheApplication());
        return all.containsAll(expected);
    }

    /**
     * Lets this much time pass for the store. By default it really waits (stores on real expiry, such as Redis TTLs);
     * a store on a movable clock overrides this to advance the clock instead.
     */
    protected void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The store's notion of now. */
    protected Instant now() {
        return Instant.now();
    }

    /** Proposes a new hold as the hold workflow does: a fresh id and a token of the minted shape, created now. */
    protected HoldOutcome hold(String clientId, List<HoldItem> items, Duration ttl, int limit) {
        UUID holdId = UUID.randomUUID();
        Instant createdAt = now().truncatedTo(ChronoUnit.MILLIS);
        return store().hold(new LeaseRequest(holdId, clientId, MintedTokens.of(holdId, clientId, createdAt, items),
                createdAt, items), ttl, limit);
    }

    // ---- adoption and lapse announcements ----------------------------------------------------------------

    @Test
    void aLapsedHoldCanBeTakenAgainUnderItsOwnIdWhileItsTimeIsFree() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold first = hold(newClient(), List.of(item), TTL, LIMIT).hold();
        elapse(TTL.plusSeconds(1));

        HoldOutcome again = store().hold(LeaseRequest.of(first), LONG_TTL, LIMIT);

        assertThat(again.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(again.hold().id()).isEqualTo(first.id());
        assertThat(again.hold().token()).isEqualTo(first.token());
        assertThat(again.hold().createdAt()).isEqualTo(first.createdAt());
        assertThat(store().findHold(first.id()).orElseThrow().expiresAt()).isAfter(now());
        assertThat(heldGranules(staff)).containsExactly(granules(item));
    }

    @Test
    void aReleasedHoldIsRememberedAsReleasedAndNoLongerFound() {
        SlotHold hold = hold(newClient(), List.of(item(newStaff(), "10:00", 30)), LONG_TTL, LIMIT).hold();
        assertThat(store().wasReleased(hold.id())).isFalse();

        assertThat(store().release(hold.id(), hold.token())).isTrue();

        assertThat(store().wasReleased(hold.id())).isTrue();
        assertThat(store().findHold(hold.id())).isEmpty();
        assertThat(store().wasReleased(UUID.randomUUID())).isFalse();
    }

    @Test
    void aSelectionThatRunsOutIsTakenOnceAndAMovedOneIsNot() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String stays = newClient();
        String moves = newClient();
        store().select(new Selection(staff, date, "10:00", stays), TTL);
        store().select(new Selection(staff, date, "11:00", moves), TTL);
        store().select(new Selection(staff, date, "11:30", moves), LONG_TTL);
        elapse(TTL.plusSeconds(1));

        List<Selection> taken = new ArrayList<>(store().takeLapsedSelections(100));
        taken.addAll(store().takeLapsedSelections(100));
        taken.addAll(selectionLapsesTakenByTheApplication());

        assertThat(taken.stream().filter(selection -> selection.staffId() == staff).toList())
                .containsExactly(new Selection(staff, date, "10:00", stays));
        assertThat(store().selections(staff, date)).containsExactly(new Selection(staff, date, "11:30", moves));
    }

    @Test
    void aHoldKeepsItsCreationTimeForFailbackOrdering() {
        SlotHold hold = hold(newClient(), List.of(item(newStaff(), "10:00", 30)), LONG_TTL, LIMIT).hold();
        assertThat(store().findHold(hold.id()).orElseThrow().createdAt()).isEqualTo(hold.createdAt());
    }

    @Test
    void eachLapseIsAnnouncedOnceEvenToCompetingTakers() throws Exception {
        long staff = newStaff();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(hold(newClient(), List.of(item(staff, String.format("%02d:00", 9 + i), 30)), TTL, LIMIT).hold().id());
        }
        SlotHold released = store().findHold(ids.get(0)).orElseThrow();
        store().release(released.id(), released.token());
        elapse(TTL.plusSeconds(1));

        ExecutorService takers = Executors.newFixedThreadPool(4);
        List<Future<List<SlotHold>>> results = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            results.add(takers.submit(() -> {
                start.await();
                List<SlotHold> mine = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    mine.addAll(store().takeLapsed(2));
                }
                return mine;
            }));
        }
        start.countDown();
        List<UUID> announced = new ArrayList<>();
        for (Future<List<SlotHold>> result : results) {
            result.get(60, TimeUnit.SECONDS).forEach(hold -> announced.add(hold.id()));
        }
        takers.shutdown();
        // Lapses of other tests of this class may come first (oldest first), and competing takers waste rounds on
        // each other's claims: drain the rest alone. Each lapse must still have come out exactly once in all.
        for (List<SlotHold> rest = store().takeLapsed(100); !rest.isEmpty(); rest = store().takeLapsed(100)) {
            rest.forEach(hold -> announced.add(hold.id()));
        }
        List<UUID> expected = ids.subList(1, ids.size());
        long deadline = System.currentTimeMillis() + 30_000;
        while (!allAnnounced(announced, expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // a running application's own lapse watcher may be between taking and announcing
        }
        announced.addAll(lapsesTakenByTheApplication());
        List<UUID> ours = announced.stream().filter(ids::contains).toList();
        assertThat(ours).as("every lapsed hold of this test exactly once; the released one never")
                .containsExactlyInAnyOrderElementsOf(ids.subList(1, ids.size()));
    }

    // ---- holding -------------------------------------------------------------------------------------------

    @Test
    void holdTakesEveryGranuleOfItsItemsAndFindHoldReturnsTheRecord() {
        long staff = newStaff();
        String client = newClient();
        HoldItem item = item(staff, "10:00", 30, 15, 5);

        HoldOutcome outcome = hold(client, List.of(item), LONG_TTL, LIMIT);

        assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        SlotHold hold = outcome.hold();
        assertThat(hold.clientId()).isEqualTo(client);
        assertThat(hold.token()).isNotBlank();
        assertThat(hold.items()).containsExactly(item);
        assertThat(hold.expiresAt()).isAfter(now());
        assertThat(heldGranules(staff)).containsExactly(granules(item));
        assertThat(store().heldGranules(staff, first(item), last(item)))
                .allSatisfy(granule -> {
                    assertThat(granule.staffId()).isEqualTo(staff);
                    assertThat(granule.holdId()).isEqualTo(hold.id());
                    assertThat(granule.clientId()).isEqualTo(client);
                    assertThat(granule.slotStart()).isEqualTo(item.start());
                });
        SlotHold found = store().findHold(hold.id()).orElseThrow();
        assertThat(found.id()).isEqualTo(hold.id());
        assertThat(found.clientId()).isEqualTo(client);
        assertThat(found.token()).isEqualTo(hold.token());
        assertThat(found.items()).containsExactly(item);
        assertThat(found.expiresAt()).isEqualTo(hold.expiresAt());
    }

    @Test
    void heldGranulesListsOnlyTheAskedStaffMemberAndRange() {
        long staff = newStaff();
        long other = newStaff();
        HoldItem morning = item(staff, "09:00", 30);
        HoldItem afternoon = item(staff, "15:00", 30);
        assertThat(hold(newClient(), List.of(morning, afternoon), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(hold(newClient(), List.of(item(other, "09:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);

        assertThat(store().heldGranules(staff, first(morning), last(morning)).stream().mapToLong(HeldGranule::granule)
                .toArray()).containsExactly(granules(morning));
        assertThat(store().heldGranules(staff, last(morning) + 1, first(afternoon) - 1)).isEmpty();
    }

    /**
     * What availability and the poll read of a day, together: the version the day's {@link VersionRead} makes of what
     * this store keeps (Redis: the values under its keys, read in the same script; SQL: its own query), the live
     * selections (not a lapsed one) and exactly the leases of the asked range.
     */
    @Test
    void liveDayReadsTheVersionTheSelectionsAndTheLeasesOfARangeTogether() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String holder = newClient();
        HoldItem morning = item(staff, "09:00", 30);
        HoldItem afternoon = item(staff, "15:00", 30);
        assertThat(hold(holder, List.of(morning, afternoon), LONG_TTL, LIMIT).kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        String looks = newClient();
        String lapses = newClient();
        store().select(new Selection(staff, date, "10:00", looks), LONG_TTL);
        store().select(new Selection(staff, date, "11:00", lapses), TTL);
        elapse(TTL.plusSeconds(1));
        List<List<String>> redisValues = new ArrayList<>();
        VersionRead version = new VersionRead() {
            @Override
            public List<String> redisKeys() {
                return List.of("hf:{s:" + staff + "}:v:unset-" + UUID.randomUUID());
            }

            @Override
            public long highest(List<String> values) {
                redisValues.add(values);
                return 41;
            }

            @Override
            public long onSql() {
                return 41;
            }
        };

        LiveDay live = store().liveDay(staff, date, first(morning), last(morning), version);

        assertThat(live.version()).isEqualTo(41);
        assertThat(redisValues).allSatisfy(values -> assertThat(values).as("one value per key, none set")
                .containsExactly((String) null));
        assertThat(live.selections()).containsExactly(new Selection(staff, date, "10:00", looks));
        assertThat(live.held()).extracting(HeldGranule::granule).containsExactly(
                Arrays.stream(granules(morning)).boxed().toArray(Long[]::new));
        assertThat(live.held()).allSatisfy(granule -> assertThat(granule.clientId()).isEqualTo(holder));
        assertThat(store().liveDay(staff, date, last(morning) + 1, first(afternoon) - 1, version).held()).isEmpty();
    }

    @Test
    void overlappingHoldIsRefusedAsConflict() {
        long staff = newStaff();
        String first = newClient();
        HoldOutcome taken = hold(first, List.of(item(staff, "10:00", 30)), LONG_TTL, LIMIT);
        assertThat(taken.kind()).isEqualTo(HoldOutcome.Kind.CREATED);

        HoldOutcome refused = hold(newClient(), List.of(item(staff, "10:15", 30)), LONG_TTL, LIMIT);

        assertThat(refused.kind()).isEqualTo(HoldOutcome.Kind.CONFLICT);
        assertThat(refused.hold()).isNull();
        assertThat(store().heldGranules(staff, first(item(staff, "10:00", 60)), last(item(staff, "10:00", 60))))
                .allSatisfy(granule -> assertThat(granule.holdId()).isEqualTo(taken.hold().id()))
                .hasSize(6);
    }

    @Test
    void holdThatOnlyTouchesABufferOfAnotherHoldIsRefused() {
        long staff = newStaff();
        // 10:00-10:30 plus a 15-minute clean-up: busy until 10:45.
        assertThat(hold(newClient(), List.of(item(staff, "10:00", 30, 0, 15)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);

        assertThat(hold(newClient(), List.of(item(staff, "10:30", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CONFLICT);
        assertThat(hold(newClient(), List.of(item(staff, "10:45", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
    }

    @Test
    void batchWithOneConflictingItemTakesNothing() {
        long staff = newStaff();
        HoldItem taken = item(staff, "10:00", 30);
        HoldItem free = item(staff, "12:00", 30);
        assertThat(hold(newClient(), List.of(taken), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);

        HoldOutcome refused = hold(newClient(), List.of(free, item(staff, "10:00", 30)), LONG_TTL, LIMIT);

        assertThat(refused.kind()).isEqualTo(HoldOutcome.Kind.CONFLICT);
        assertThat(store().heldGranules(staff, first(free), last(free))).isEmpty();
        assertThat(hold(newClient(), List.of(free), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
    }

    @Test
    void batchAcrossStaffMembersIsAllOrNothing() {
        long staff = newStaff();
        long other = newStaff();
        assertThat(hold(newClient(), List.of(item(other, "11:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        HoldItem free = item(staff, "11:00", 30);

        HoldOutcome refused = hold(newClient(), List.of(free, item(other, "11:00", 30)), LONG_TTL, LIMIT);

        assertThat(refused.kind()).isEqualTo(HoldOutcome.Kind.CONFLICT);
        assertThat(store().heldGranules(staff, first(free), last(free))).isEmpty();
    }

    @Test
    void retryOfTheSameHoldReturnsTheSameHoldAndToken() {
        long staff = newStaff();
        String client = newClient();
        List<HoldItem> items = List.of(item(staff, "10:00", 30), item(staff, "11:00", 30));
        HoldOutcome created = hold(client, items, LONG_TTL, LIMIT);
        assertThat(created.kind()).isEqualTo(HoldOutcome.Kind.CREATED);

        HoldOutcome retried = hold(client, List.copyOf(items), LONG_TTL, LIMIT);

        assertThat(retried.kind()).isEqualTo(HoldOutcome.Kind.EXISTING);
        assertThat(retried.hold().id()).isEqualTo(created.hold().id());
        assertThat(retried.hold().token()).isEqualTo(created.hold().token());
        assertThat(retried.hold().items()).containsExactlyElementsOf(items);
        assertThat(heldGranules(staff)).containsExactly(concat(granules(items.get(0)), granules(items.get(1))));
    }

    @Test
    void retryIsNotRefusedByTheLimitItAlreadyCountsIn() {
        long staff = newStaff();
        String client = newClient();
        List<HoldItem> items = List.of(item(staff, "10:00", 30));
        HoldOutcome created = hold(client, items, LONG_TTL, 1);
        assertThat(created.kind()).isEqualTo(HoldOutcome.Kind.CREATED);

        HoldOutcome retried = hold(client, items, LONG_TTL, 1);

        assertThat(retried.kind()).isEqualTo(HoldOutcome.Kind.EXISTING);
        assertThat(retried.hold().id()).isEqualTo(created.hold().id());
    }

    @Test
    void theSameItemsFromAnotherClientAreAConflictNotARetry() {
        long staff = newStaff();
        List<HoldItem> items = List.of(item(staff, "10:00", 30));
        assertThat(hold(newClient(), items, LONG_TTL, LIMIT).kind()).isEqualTo(HoldOutcome.Kind.CREATED);

        assertThat(hold(newClient(), items, LONG_TTL, LIMIT).kind()).isEqualTo(HoldOutcome.Kind.CONFLICT);
    }

    // ---- release and extend ------------------------------------------------------------------------------

    @Test
    void releaseWithAWrongTokenDoesNothing() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold hold = hold(newClient(), List.of(item), LONG_TTL, LIMIT).hold();

        assertThat(store().release(hold.id(), "not-" + hold.token())).isFalse();

        assertThat(heldGranules(staff)).containsExactly(granules(item));
        assertThat(store().findHold(hold.id())).isPresent();
        assertThat(hold(newClient(), List.of(item), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CONFLICT);
    }

    @Test
    void releaseWithTheRightTokenFreesTheGranules() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold hold = hold(newClient(), List.of(item), LONG_TTL, LIMIT).hold();

        assertThat(store().release(hold.id(), hold.token())).isTrue();

        assertThat(heldGranules(staff)).isEmpty();
        assertThat(store().findHold(hold.id())).isEmpty();
        assertThat(hold(newClient(), List.of(item), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
    }

    @Test
    void releaseOfAnUnknownOrAlreadyReleasedHoldReturnsFalse() {
        SlotHold hold = hold(newClient(), List.of(item(newStaff(), "10:00", 30)), LONG_TTL, LIMIT).hold();
        assertThat(store().release(hold.id(), hold.token())).isTrue();

        assertThat(store().release(hold.id(), hold.token())).isFalse();
        assertThat(store().release(UUID.randomUUID(), hold.token())).isFalse();
    }

    @Test
    void releaseLeavesAnotherClientsLaterHoldOnTheSameTimeAlone() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold lapsed = hold(newClient(), List.of(item), TTL, LIMIT).hold();
        elapse(TTL.plusSeconds(1));
        SlotHold current = hold(newClient(), List.of(item), LONG_TTL, LIMIT).hold();
        assertThat(current).isNotNull();

        store().release(lapsed.id(), lapsed.token());

        assertThat(store().heldGranules(staff, first(item), last(item)))
                .hasSize(granules(item).length)
                .allSatisfy(granule -> assertThat(granule.holdId()).isEqualTo(current.id()));
    }

    @Test
    void extendWithAWrongTokenIsRefused() {
        SlotHold hold = hold(newClient(), List.of(item(newStaff(), "10:00", 30)), TTL, LIMIT).hold();

        assertThat(store().extend(hold.id(), "not-" + hold.token(), LONG_TTL)).isEmpty();

        assertThat(store().findHold(hold.id()).orElseThrow().expiresAt()).isEqualTo(hold.expiresAt());
    }

    @Test
    void extendWithTheRightTokenMovesTheExpiry() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold hold = hold(newClient(), List.of(item), TTL, LIMIT).hold();

        Instant extended = store().extend(hold.id(), hold.token(), LONG_TTL).orElseThrow();

        assertThat(extended).isAfter(hold.expiresAt());
        assertThat(store().findHold(hold.id()).orElseThrow().expiresAt()).isEqualTo(extended);
        elapse(TTL.plusSeconds(1));
        assertThat(heldGranules(staff)).containsExactly(granules(item));
        assertThat(hold(newClient(), List.of(item), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CONFLICT);
    }

    @Test
    void extendOfALapsedHoldIsRefused() {
        long staff = newStaff();
        SlotHold hold = hold(newClient(), List.of(item(staff, "10:00", 30)), TTL, LIMIT).hold();
        elapse(TTL.plusSeconds(1));

        assertThat(store().extend(hold.id(), hold.token(), LONG_TTL)).isEmpty();

        assertThat(heldGranules(staff)).isEmpty();
    }

    @Test
    void extendOfAnUnknownHoldIsRefused() {
        assertThat(store().extend(UUID.randomUUID(), "no-such-token", LONG_TTL)).isEmpty();
    }

    // ---- the per-client limit -----------------------------------------------------------------------------

    @Test
    void holdBeyondTheClientsSlotLimitIsRefusedAndTakesNothing() {
        long staff = newStaff();
        String client = newClient();
        assertThat(hold(client, List.of(item(staff, "09:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(hold(client, List.of(item(staff, "10:00", 30), item(staff, "11:00", 30)), LONG_TTL, LIMIT)
                .kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        HoldItem fourth = item(staff, "12:00", 30);

        HoldOutcome refused = hold(client, List.of(fourth), LONG_TTL, LIMIT);

        assertThat(refused.kind()).isEqualTo(HoldOutcome.Kind.LIMIT_REACHED);
        assertThat(refused.hold()).isNull();
        assertThat(store().heldGranules(staff, first(fourth), last(fourth))).isEmpty();
        assertThat(hold(newClient(), List.of(fourth), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
    }

    @Test
    void batchLargerThanTheLimitIsRefused() {
        long staff = newStaff();
        List<HoldItem> items = List.of(item(staff, "09:00", 30), item(staff, "10:00", 30), item(staff, "11:00", 30),
                item(staff, "12:00", 30));

        assertThat(hold(newClient(), items, LONG_TTL, LIMIT).kind()).isEqualTo(HoldOutcome.Kind.LIMIT_REACHED);

        assertThat(heldGranules(staff)).isEmpty();
    }

    @Test
    void releasedAndLapsedHoldsNoLongerCountAgainstTheLimit() {
        long staff = newStaff();
        String client = newClient();
        SlotHold released = hold(client, List.of(item(staff, "09:00", 30)), LONG_TTL, LIMIT).hold();
        assertThat(hold(client, List.of(item(staff, "10:00", 30)), TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(hold(client, List.of(item(staff, "11:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(hold(client, List.of(item(staff, "12:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.LIMIT_REACHED);

        assertThat(store().release(released.id(), released.token())).isTrue();
        assertThat(hold(client, List.of(item(staff, "12:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
        elapse(TTL.plusSeconds(1));
        assertThat(hold(client, List.of(item(staff, "13:00", 30)), LONG_TTL, LIMIT).kind())
                .isEqualTo(HoldOutcome.Kind.CREATED);
    }

    @Test
    void twentyParallelHoldsOfOneClientGrantExactlyTheLimit() throws Exception {
        long staff = newStaff();
        String client = newClient();

        List<HoldOutcome> outcomes = race(20,
                i -> hold(client, List.of(item(staff, day.plus(Duration.ofMinutes(60L * i)), 30, 0, 0)),
                        LONG_TTL, LIMIT));

        Map<HoldOutcome.Kind, Long> kinds = outcomes.stream()
                .collect(Collectors.groupingBy(HoldOutcome::kind, Collectors.counting()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(
                Map.of(HoldOutcome.Kind.CREATED, 3L, HoldOutcome.Kind.LIMIT_REACHED, 17L));
        long[] expected = outcomes.stream().filter(o -> o.kind() == HoldOutcome.Kind.CREATED)
                .flatMapToLong(o -> LongStream.of(granules(o.hold().items().get(0)))).sorted().toArray();
        assertThat(store().heldGranules(staff, Granules.of(day), Granules.of(day.plus(Duration.ofDays(1)))).stream()
                .mapToLong(HeldGranule::granule).toArray()).containsExactly(expected);
    }

    @Test
    void fiftyClientsRacingForTheSameTimeLeaveExactlyOneHolder() throws Exception {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 45, 5, 10);

        List<HoldOutcome> outcomes = race(50, i -> hold(newClient(), List.of(item), LONG_TTL, LIMIT));

        List<HoldOutcome> won = outcomes.stream().filter(o -> o.kind() == HoldOutcome.Kind.CREATED).toList();
        assertThat(won).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.kind() != HoldOutcome.Kind.CREATED)
                .hasSize(49)
                .allSatisfy(o -> assertThat(o.kind()).isEqualTo(HoldOutcome.Kind.CONFLICT));
        assertThat(store().heldGranules(staff, first(item) - 12, last(item) + 12))
                .hasSize(granules(item).length)
                .allSatisfy(granule -> assertThat(granule.holdId()).isEqualTo(won.get(0).hold().id()));
    }

    // ---- expiry -------------------------------------------------------------------------------------------

    @Test
    void lapsedHoldFreesItsGranulesButItsRecordStaysFindable() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30);
        SlotHold hold = hold(newClient(), List.of(item), TTL, LIMIT).hold();
        assertThat(heldGranules(staff)).containsExactly(granules(item));

        elapse(TTL.plusSeconds(1));

        assertThat(heldGranules(staff)).isEmpty();
        SlotHold lapsed = store().findHold(hold.id()).orElseThrow();
        assertThat(lapsed.token()).isEqualTo(hold.token());
        assertThat(lapsed.items()).containsExactly(item);
        assertThat(lapsed.liveAt(now())).isFalse();
        HoldOutcome next = hold(newClient(), List.of(item), LONG_TTL, LIMIT);
        assertThat(next.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(store().heldGranules(staff, first(item), last(item)))
                .allSatisfy(granule -> assertThat(granule.holdId()).isEqualTo(next.hold().id()));
        assertThat(store().findHold(hold.id())).isPresent();
    }

    @Test
    void retryAfterTheHoldLapsedGrantsANewHold() {
        long staff = newStaff();
        String client = newClient();
        List<HoldItem> items = List.of(item(staff, "10:00", 30));
        SlotHold first = hold(client, items, TTL, LIMIT).hold();
        elapse(TTL.plusSeconds(1));

        HoldOutcome again = hold(client, items, LONG_TTL, LIMIT);

        assertThat(again.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(again.hold().id()).isNotEqualTo(first.id());
        assertThat(again.hold().token()).isNotEqualTo(first.token());
    }

    // ---- selections ---------------------------------------------------------------------------------------

    @Test
    void selectionsAreListedPerStaffMemberAndDay() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String ann = newClient();
        String bob = newClient();
        store().select(new Selection(staff, date, "09:00", ann), SELECTION_TTL);
        store().select(new Selection(staff, date, "10:30", bob), SELECTION_TTL);
        store().select(new Selection(staff, date.plusDays(1), "11:00", ann), SELECTION_TTL);
        store().select(new Selection(newStaff(), date, "12:00", ann), SELECTION_TTL);

        assertThat(store().selections(staff, date)).containsExactlyInAnyOrder(
                new Selection(staff, date, "09:00", ann), new Selection(staff, date, "10:30", bob));
    }

    @Test
    void reselectingReplacesTheClientsEarlierSelectionOfThatDay() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String ann = newClient();
        String bob = newClient();
        store().select(new Selection(staff, date, "09:00", ann), SELECTION_TTL);
        store().select(new Selection(staff, date, "10:30", bob), SELECTION_TTL);

        store().select(new Selection(staff, date, "09:30", ann), SELECTION_TTL);

        assertThat(store().selections(staff, date)).containsExactlyInAnyOrder(
                new Selection(staff, date, "09:30", ann), new Selection(staff, date, "10:30", bob));
    }

    @Test
    void unselectRemovesOnlyThatClientsSelection() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String ann = newClient();
        String bob = newClient();
        store().select(new Selection(staff, date, "09:00", ann), SELECTION_TTL);
        store().select(new Selection(staff, date, "10:30", bob), SELECTION_TTL);

        store().unselect(staff, date, ann);

        assertThat(store().selections(staff, date)).containsExactly(new Selection(staff, date, "10:30", bob));
        store().unselect(staff, date, ann);
        assertThat(store().selections(staff, date)).containsExactly(new Selection(staff, date, "10:30", bob));
    }

    /**
     * On real expiry (Redis TTLs) the checks that a selection is still there need the machine to keep up: on a loaded
     * one (a niced JVM at load 22 once) a renewal came so late that the selection had lapsed first. Such an attempt is
     * measured, proves nothing, and is made again (five at most); the checks that a selection is gone always hold.
     */
    @Test
    void selectionsExpireAfterTheirTtlUnlessRenewed() {
        for (int attempt = 1; !selectionsExpireUnlessRenewed(); attempt++) {
            assertThat(attempt).as("attempts the machine was too slow for (a selection lapsed before its check)")
                    .isLessThan(5);
        }
    }

    /** False when the machine was too slow for the "still there" checks to apply; asserts everything else. */
    private boolean selectionsExpireUnlessRenewed() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(3);
        String ann = newClient();
        String bob = newClient();
        Instant selected = now();
        store().select(new Selection(staff, date, "09:00", ann), SELECTION_TTL);
        store().select(new Selection(staff, date, "10:30", bob), SELECTION_TTL);

        elapse(SELECTION_TTL.dividedBy(2));
        List<Selection> halfway = store().selections(staff, date);
        boolean halfwayInTime = now().isBefore(selected.plus(SELECTION_TTL));
        Instant renewed = now();
        store().select(new Selection(staff, date, "10:30", bob), SELECTION_TTL);
        elapse(SELECTION_TTL.dividedBy(2).plusSeconds(1));

        List<Selection> afterAnnsTtl = store().selections(staff, date);
        boolean afterInTime = now().isBefore(renewed.plus(SELECTION_TTL));
        assertThat(afterAnnsTtl).as("ann's selection, never renewed, is gone").doesNotContain(
                new Selection(staff, date, "09:00", ann));
        elapse(SELECTION_TTL.dividedBy(2));
        assertThat(store().selections(staff, date)).isEmpty();
        if (!halfwayInTime || !afterInTime) {
            return false;
        }
        assertThat(halfway).hasSize(2);
        assertThat(afterAnnsTtl).containsExactly(new Selection(staff, date, "10:30", bob));
        return true;
    }

    @Test
    void modeIsReported() {
        assertThat(store().mode()).isNotNull();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    protected static long newStaff() {
        return STAFF.incrementAndGet();
    }

    protected static String newClient() {
        return "client-" + UUID.randomUUID();
    }

    /** An item starting at a UTC time of the test day, without buffers. */
    protected HoldItem item(long staff, String utcTime, int minutes) {
        return item(staff, utcTime, minutes, 0, 0);
    }

    protected HoldItem item(long staff, String utcTime, int minutes, int bufferBefore, int bufferAfter) {
        String[] hhmm = utcTime.split(":");
        Instant start = day.plus(Duration.ofHours(Long.parseLong(hhmm[0])).plusMinutes(Long.parseLong(hhmm[1])));
        return item(staff, start, minutes, bufferBefore, bufferAfter);
    }

    private static HoldItem item(long staff, Instant start, int minutes, int bufferBefore, int bufferAfter) {
        Instant end = start.plus(Duration.ofMinutes(minutes));
        return new HoldItem(staff, SERVICE, start, end,
                new Occupancy(start.minus(Duration.ofMinutes(bufferBefore)), end.plus(Duration.ofMinutes(bufferAfter))));
    }

    private static long[] granules(HoldItem item) {
        return item.occupancy().granules();
    }

    private static long first(HoldItem item) {
        return granules(item)[0];
    }

    private static long last(HoldItem item) {
        long[] granules = granules(item);
        return granules[granules.length - 1];
    }

    private static long[] concat(long[] a, long[] b) {
        return LongStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    /** Every granule of the test day held for a staff member, in order. */
    protected long[] heldGranules(long staff) {
        return store().heldGranules(staff, Granules.of(day), Granules.of(day.plus(Duration.ofDays(1))) - 1).stream()
                .mapToLong(HeldGranule::granule).toArray();
    }

    /** Runs the work on that many threads released at the same moment and returns every result. */
    protected static <T> List<T> race(int threads, IntFunction<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return work.apply(index);
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads started").isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
