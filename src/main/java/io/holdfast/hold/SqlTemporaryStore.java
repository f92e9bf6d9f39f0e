package io.holdfast.hold;

import io.holdfast.availability.Selection;
import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.LiveDay;
import io.holdfast.availability.VersionRead;
import io.holdfast.redis.StorageMode;
import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.holdfast.availability.Occupancy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Temporary state in SQL tables: the embedded default and the fallback while Redis is away. Holds are
 * all-or-nothing through the primary key of {@code held_granule}; one client's requests are serialised by a
 * row lock on {@code hold_client}, which makes the slot limit and the idempotent retry exact under concurrency.
 * Reads ignore expired rows, so correctness never waits for the sweeper.
 */
class SqlTemporaryStore implements TemporaryStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEADLOCK_RETRIES = 5;
    /**
     * Ids per DELETE of {@link #forget}: one bind parameter each, well below PostgreSQL's limit of 32,767 per
     * statement (H2 and MariaDB's client-side statements have none that low).
     */
    private static final int FORGET_CHUNK = 10_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration recordGrace;
    private final Duration markerLife;

    public SqlTemporaryStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock,
            Duration recordGrace) {
        this(jdbc, transactionManager, clock, recordGrace, recordGrace);
    }

    /**
     * @param markerLife how long a released hold's marker is kept: as long as its token could still adopt the hold
     *                   ({@link HoldSettings#tokenLife()}), counted from the release, which is after the creation
     */
    public SqlTemporaryStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock,
            Duration recordGrace, Duration markerLife) {
        this.markerLife = markerLife;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // Read committed keeps InnoDB from taking gap locks on the expired-lease clean-up, which would
        // otherwise deadlock concurrent holds on neighbouring granules.
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.clock = clock;
        this.recordGrace = recordGrace;
    }

    @Override
    public HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient, int maxSlotsPerAddress) {
        String clientId = request.clientId();
        List<HoldItem> items = request.items();
        String fingerprint = request.fingerprint();
        String network = request.network();
        registerClient(clientId);
        if (!network.isEmpty()) {
            registerClient(networkLock(network));
        }
        return retryOnDeadlock(() -> transactions.execute(status -> {
            Instant now = clock.instant();
            // Always the client's row first, then the network's: every request takes at most these two locks in
            // this order, so two requests never wait for each other in a circle.
            jdbc.sql("SELECT client_id FROM hold_client WHERE client_id = ? FOR UPDATE").param(clientId)
                    .query(String.class).single();
            Optional<String> same = jdbc.sql("""
                    SELECT id FROM slot_hold WHERE client_id = ? AND fingerprint = ? AND expires_at > ?""")
                    .params(clientId, fingerprint, toColumn(now)).query(String.class).optional();
            if (same.isPresent()) {
                return HoldOutcome.existing(findHold(UUID.fromString(same.get())).orElseThrow());
            }
            long held = jdbc.sql("""
                    SELECT COUNT(*) FROM slot_hold_item i JOIN slot_hold h ON h.id = i.hold_id
                    WHERE h.client_id = ? AND h.expires_at > ?""")
                    .params(clientId, toColumn(now)).query(Long.class).single();
            if (held + items.size() > maxSlotsPerClient) {
                return HoldOutcome.limitReached();
            }
            if (!network.isEmpty()) {
                // The network's lock row serialises its requests whatever clientIds they name, so this count and the
                // insert below are one step for them: rotating clientIds in parallel cannot pass the limit.
                jdbc.sql("SELECT client_id FROM hold_client WHERE client_id = ? FOR UPDATE").param(networkLock(network))
                        .query(String.class).single();
                long ofNetwork = jdbc.sql("""
                        SELECT COUNT(*) FROM slot_hold_item i JOIN slot_hold h ON h.id = i.hold_id
                        WHERE h.client_network = ? AND h.expires_at > ?""")
                        .params(network, toColumn(now)).query(Long.class).single();
                if (ofNetwork + items.size() > maxSlotsPerAddress) {
                    return HoldOutcome.addressLimitReached();
                }
            }
            SlotHold hold = new SlotHold(request.holdId(), clientId, request.token(), items, request.createdAt(),
                    expiry(now, ttl));
            forgetLapsedRecord(request.holdId(), now);
            try {
                insert(hold, fingerprint, network);
            } catch (DuplicateKeyException taken) {
                status.setRollbackOnly();
                return HoldOutcome.conflict();
            }
            return HoldOutcome.created(hold);
        }));
    }

    /** The hold_client row a network's requests lock; '@' never starts a clientId ([A-Za-z0-9_-]). */
    private static String networkLock(String network) {
        return "@" + network;
    }

    /** An adopted hold reuses its id: drop the lapsed record (and any lapsed leases) it left behind. */
    private void forgetLapsedRecord(UUID holdId, Instant now) {
        String id = holdId.toString();
        if (jdbc.sql("SELECT COUNT(*) FROM slot_hold WHERE id = ? AND expires_at <= ?").params(id, toColumn(now))
                .query(Long.class).single() > 0) {
            jdbc.sql("DELETE FROM held_granule WHERE hold_id = ?").param(id).update();
            jdbc.sql("DELETE FROM slot_hold_item WHERE hold_id = ?").param(id).update();
            jdbc.sql("DELETE FROM slot_hold WHERE id = ?").param(id).update();
        }
    }

    private void insert(SlotHold hold, String fingerprint, String network) {
        Instant now = clock.instant();
        String id = hold.id().toString();
        jdbc.sql("""
                INSERT INTO slot_hold (id, client_id, token, fingerprint, created_at, expires_at, record_until,
                                       client_network, held_since)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, hold.clientId(), hold.token(), fingerprint, toColumn(hold.createdAt()), toColumn(hold.expiresAt()),
                        toColumn(hold.expiresAt().plus(recordGrace)), network.isEmpty() ? null : network,
                        toColumn(now.truncatedTo(ChronoUnit.MILLIS)))
                .update();
        int position = 0;
        for (HoldItem item : hold.items()) {
            jdbc.sql("""
                    INSERT INTO slot_hold_item (hold_id, position, staff_id, service_id, start_at, end_at,
                                                occupied_from, occupied_to)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, position++, item.staffId(), item.serviceId(), toColumn(item.start()),
                            toColumn(item.end()), toColumn(item.occupancy().from()), toColumn(item.occupancy().to()))
                    .update();
        }
        for (HoldItem item : hold.items()) {
            long[] granules = item.occupancy().granules();
            // A lapsed lease still has its rows until the sweeper runs; clear exactly those in our way. Find them
            // with a plain (non-locking) read and delete each by its key: a locking range DELETE would lock the
            // live rows of neighbouring holds too (InnoDB keeps some of those locks until commit), and concurrent
            // holds on neighbouring granules would deadlock on each other.
            List<Long> lapsed = jdbc.sql("""
                    SELECT granule FROM held_granule
                    WHERE staff_id = ? AND granule >= ? AND granule <= ? AND expires_at <= ?""")
                    .params(item.staffId(), granules[0], granules[granules.length - 1], toColumn(now))
                    .query(Long.class).list();
            for (long granule : lapsed) {
                jdbc.sql("DELETE FROM held_granule WHERE staff_id = ? AND granule = ? AND expires_at <= ?")
                        .params(item.staffId(), granule, toColumn(now)).update();
            }
            for (long granule : granules) {
                jdbc.sql("""
                        INSERT INTO held_granule (staff_id, granule, hold_id, client_id, slot_start, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                        .params(item.staffId(), granule, id, hold.clientId(), toColumn(item.start()),
                                toColumn(hold.expiresAt()))
                        .update();
            }
        }
    }

    /** Makes sure the client's lock row exists, outside the hold transaction (a duplicate aborts a PostgreSQL tx). */
    private void registerClient(String clientId) {
        boolean known = jdbc.sql("SELECT COUNT(*) FROM hold_client WHERE client_id = ?").param(clientId)
                .query(Long.class).single() > 0;
        if (!known) {
            try {
                jdbc.sql("INSERT INTO hold_client (client_id) VALUES (?)").param(clientId).update();
            } catch (DuplicateKeyException raced) {
                // Another request of the same client registered it first: exactly what we needed.
            }
        }
    }

    @Override
    public Optional<SlotHold> findHold(UUID holdId) {
        String id = holdId.toString();
        record Row(String clientId, String token, Instant createdAt, Instant expiresAt) {
        }
        return jdbc.sql("SELECT client_id, token, created_at, expires_at FROM slot_hold WHERE id = ? AND record_until > ?")
                .params(id, toColumn(clock.instant()))
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2),
                        fromColumn(rs.getObject(3, LocalDateTime.class)), fromColumn(rs.getObject(4, LocalDateTime.class))))
                .optional()
                .map(row -> new SlotHold(holdId, row.clientId(), row.token(), items(id), row.createdAt(),
                        row.expiresAt()));
    }

    private List<HoldItem> items(String holdId) {
        return jdbc.sql("""
                SELECT staff_id, service_id, start_at, end_at, occupied_from, occupied_to
                FROM slot_hold_item WHERE hold_id = ? ORDER BY position""")
                .param(holdId)
                .query((rs, n) -> new HoldItem(rs.getLong(1), rs.getLong(2),
                        fromColumn(rs.getObject(3, LocalDateTime.class)), fromColumn(rs.getObject(4, LocalDateTime.class)),
                        new Occupancy(fromColumn(rs.getObject(5, LocalDateTime.class)),
                                fromColumn(rs.getObject(6, LocalDateTime.class)))))
                .list();
    }

    @Override
    public boolean release(UUID holdId, String token) {
        String id = holdId.toString();
        return Boolean.TRUE.equals(retryOnDeadlock(() -> transactions.execute(status -> {
            Optional<String> stored = jdbc.sql("SELECT token FROM slot_hold WHERE id = ? FOR UPDATE").param(id)
                    .query(String.class).optional();
            if (stored.isEmpty() || !MessageDigest.isEqual(bytes(stored.get()), bytes(token))) {
                return false;
            }
            vacate(id);
            jdbc.sql("DELETE FROM slot_hold_item WHERE hold_id = ?").param(id).update();
            jdbc.sql("DELETE FROM slot_hold WHERE id = ?").param(id).update();
            tombstone(holdId, token);
            return true;
        })));
    }

    @Override
    public boolean wasReleased(UUID holdId) {
        return jdbc.sql("SELECT COUNT(*) FROM released_hold WHERE hold_id = ? AND expires_at > ?")
                .params(holdId.toString(), toColumn(clock.instant())).query(Long.class).single() > 0;
    }

    /**
     * Deletes the hold's granule rows one primary key at a time. A {@code DELETE ... WHERE hold_id = ?} scan was
     * seen in InnoDB's deadlock reports locking live rows of other holds (rows it read past), deadlocking with
     * concurrent holds; a unique-key lookup locks exactly the rows it deletes.
     */
    private void vacate(String holdId) {
        for (HoldItem item : items(holdId)) {
            for (long granule : item.occupancy().granules()) {
                jdbc.sql("DELETE FROM held_granule WHERE staff_id = ? AND granule = ? AND hold_id = ?")
                        .params(item.staffId(), granule, holdId).update();
            }
        }
    }

    @Override
    public Optional<Instant> extend(UUID holdId, String token, Duration ttl) {
        String id = holdId.toString();
        return retryOnDeadlock(() -> transactions.execute(status -> {
            Instant now = clock.instant();
            record Row(String token, Instant expiresAt) {
            }
            Optional<Row> stored = jdbc.sql("SELECT token, expires_at FROM slot_hold WHERE id = ? FOR UPDATE")
                    .param(id)
                    .query((rs, n) -> new Row(rs.getString(1), fromColumn(rs.getObject(2, LocalDateTime.class))))
                    .optional();
            if (stored.isEmpty() || !MessageDigest.isEqual(bytes(stored.get().token()), bytes(token))
                    || !stored.get().expiresAt().isAfter(now)) {
                return Optional.<Instant>empty();
            }
            Instant expiresAt = expiry(now, ttl);
            jdbc.sql("UPDATE slot_hold SET expires_at = ?, record_until = ? WHERE id = ?")
                    .params(toColumn(expiresAt), toColumn(expiresAt.plus(recordGrace)), id).update();
            jdbc.sql("UPDATE held_granule SET expires_at = ? WHERE hold_id = ?")
                    .params(toColumn(expiresAt), id).update();
            return Optional.of(expiresAt);
        }));
    }

    @Override
    public List<HeldGranule> heldGranules(long staffId, long fromGranule, long toGranule) {
        return jdbc.sql("""
                SELECT granule, hold_id, client_id, slot_start FROM held_granule
                WHERE staff_id = ? AND granule >= ? AND granule <= ? AND expires_at > ?
                ORDER BY granule""")
                .params(staffId, fromGranule, toGranule, toColumn(clock.instant()))
                .query((rs, n) -> new HeldGranule(staffId, rs.getLong(1), UUID.fromString(rs.getString(2)),
                        rs.getString(3), fromColumn(rs.getObject(4, LocalDateTime.class))))
                .list();
    }

    /** One query each: SQL serves while Redis is away, where one round trip more is not what counts. */
    @Override
    public LiveDay liveDay(long staffId, LocalDate date, long fromGranule, long toGranule, VersionRead version) {
        return new LiveDay(version.onSql(), selections(staffId, date),
                fromGranule > toGranule ? List.of() : heldGranules(staffId, fromGranule, toGranule));
    }

    @Override
    public void select(Selection selection, Duration ttl) {
        Instant expiresAt = clock.instant().plus(ttl);
        try {
            retryOnDeadlock(() -> transactions.execute(status -> {
                unselect(selection.staffId(), selection.date(), selection.clientId());
                return jdbc.sql("""
                        INSERT INTO slot_selection (staff_id, local_day, client_id, slot_time, expires_at)
                        VALUES (?, ?, ?, ?, ?)""")
                        .params(selection.staffId(), selection.date(), selection.clientId(), selection.time(),
                                toColumn(expiresAt))
                        .update();
            }));
        } catch (DuplicateKeyException raced) {
            // The same client selected twice at the same moment; one of the two selections stands.
        }
    }

    @Override
    public void unselect(long staffId, LocalDate date, String clientId) {
        jdbc.sql("DELETE FROM slot_selection WHERE staff_id = ? AND local_day = ? AND client_id = ?")
                .params(staffId, date, clientId).update();
    }

    @Override
    public List<Selection> selections(long staffId, LocalDate date) {
        return jdbc.sql("""
                SELECT slot_time, client_id FROM slot_selection
                WHERE staff_id = ? AND local_day = ? AND expires_at > ? ORDER BY slot_time""")
                .params(staffId, date, toColumn(clock.instant()))
                .query((rs, n) -> new Selection(staffId, date, rs.getString(1), rs.getString(2)))
                .list();
    }

    /** Expired selections, each deleted by exactly one caller (the one whose delete removed the row). */
    @Override
    public List<Selection> takeLapsedSelections(int max) {
        LocalDateTime now = toColumn(clock.instant());
        List<Selection> due = jdbc.sql("SELECT staff_id, local_day, slot_time, client_id FROM slot_selection WHERE expires_at <= ?")
                .param(now)
                .query((rs, n) -> new Selection(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getString(3),
                        rs.getString(4)))
                .list();
        List<Selection> taken = new ArrayList<>();
        for (Selection selection : due.subList(0, Math.min(max, due.size()))) {
            int deleted = jdbc.sql("DELETE FROM slot_selection WHERE staff_id = ? AND local_day = ? AND client_id = ?"
                    + " AND slot_time = ? AND expires_at <= ?")
                    .params(selection.staffId(), selection.date(), selection.clientId(), selection.time(), now).update();
            if (deleted == 1) {
                taken.add(selection);
            }
        }
        return taken;
    }

    @Override
    public StorageMode mode() {
        return StorageMode.SQL;
    }

    @Override
    public List<SlotHold> takeLapsed(int max) {
        LocalDateTime now = toColumn(clock.instant());
        List<String> ids = jdbc.sql("SELECT id FROM slot_hold WHERE expires_at <= ? AND lapse_announced = FALSE ORDER BY expires_at")
                .param(now).query(String.class).list();
        List<SlotHold> taken = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(max, ids.size()))) {
            int claimed = jdbc.sql("UPDATE slot_hold SET lapse_announced = TRUE WHERE id = ? AND lapse_announced = FALSE AND expires_at <= ?")
                    .params(id, now).update();
            if (claimed == 1) {
                findHold(UUID.fromString(id)).ifPresent(taken::add);
            }
        }
        return taken;
    }

    /**
     * Remembers a release: a released (or booked) hold's token must not bring it back, and a release made while
     * Redis was away must remove the hold's Redis copy at failback.
     */
    void tombstone(UUID holdId, String token) {
        String id = holdId.toString();
        if (jdbc.sql("SELECT COUNT(*) FROM released_hold WHERE hold_id = ?").param(id).query(Long.class).single() == 0) {
            jdbc.sql("INSERT INTO released_hold (hold_id, token, expires_at) VALUES (?, ?, ?)")
                    .params(id, token, toColumn(clock.instant().plus(markerLife))).update();
        }
    }

    /** Live holds, oldest first. */
    List<SlotHold> liveHolds() {
        return listHolds(null).stream().map(Listed::hold).toList();
    }

    /**
     * What identifies a hold's request beyond the hold itself: the fingerprint its retry is found by (with the
     * request's Idempotency-Key in it) and the network it counts against; the failback copies both into Redis. And
     * since when the hold has held its time here ({@code held_since}): an adopted hold was granted at its adoption,
     * not at the creation its token carries, and the failback's "earlier hold wins" must go by the lease.
     */
    record Origin(String fingerprint, String network, Instant heldSince) {
    }

    /** A live hold as the failback copies it: the hold and its origin. */
    record Listed(SlotHold hold, Origin origin) {
    }

    /**
     * Every live hold with its origin, oldest first (the failback copies them in this order: the earlier hold wins),
     * in one query: the holds and their origins were two, 10,000 rows read twice.
     */
    List<Listed> listedHolds() {
        return listHolds(null);
    }

    /**
     * The live holds among {@code ids}, with their origins, oldest first: the failback's later passes read in full
     * only what changed since the pass before ({@link #liveExpiries}).
     */
    List<Listed> listedHolds(Collection<UUID> ids) {
        List<String> all = ids.stream().map(UUID::toString).toList();
        List<Listed> listed = new ArrayList<>();
        for (int from = 0; from < all.size(); from += FORGET_CHUNK) {
            listed.addAll(listHolds(all.subList(from, Math.min(all.size(), from + FORGET_CHUNK))));
        }
        listed.sort(Comparator.comparing((Listed one) -> one.hold().createdAt())
                .thenComparing(one -> one.hold().id().toString()));
        return listed;
    }

    /**
     * The expiry of every live hold, two columns a row: what the failback's gated pass reads, while new calls wait, to
     * find what changed since its bulk pass (10,000 holds read in full took 40 to 175 ms there).
     */
    Map<UUID, Instant> liveExpiries() {
        Map<UUID, Instant> expiries = new HashMap<>();
        jdbc.sql("SELECT id, expires_at FROM slot_hold WHERE expires_at > ?")
                .param(toColumn(clock.instant()))
                .query(rs -> {
                    expiries.put(UUID.fromString(rs.getString(1)), fromColumn(rs.getObject(2, LocalDateTime.class)));
                });
        return expiries;
    }

    /** Live holds with their origins, all of them ({@code ids} null) or those named. */
    private List<Listed> listHolds(List<String> ids) {
        record Row(String id, String clientId, String token, Instant createdAt, Instant expiresAt, Origin origin,
                HoldItem item) {
        }
        String only = ids == null ? "" : " AND h.id IN (:ids)";
        var statement = jdbc.sql("""
                SELECT h.id, h.client_id, h.token, h.created_at, h.expires_at,
                       i.staff_id, i.service_id, i.start_at, i.end_at, i.occupied_from, i.occupied_to,
                       h.fingerprint, h.client_network, h.held_since
                FROM slot_hold h JOIN slot_hold_item i ON i.hold_id = h.id
                WHERE h.expires_at > :now%s ORDER BY h.created_at, h.id, i.position""".formatted(only))
                .param("now", toColumn(clock.instant()));
        if (ids != null) {
            statement = statement.param("ids", ids);
        }
        List<Row> rows = statement.query((rs, n) -> {
            Instant createdAt = fromColumn(rs.getObject(4, LocalDateTime.class));
            LocalDateTime heldSince = rs.getObject(14, LocalDateTime.class);
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), createdAt,
                    fromColumn(rs.getObject(5, LocalDateTime.class)),
                    new Origin(rs.getString(12), rs.getString(13) == null ? "" : rs.getString(13),
                            heldSince != null ? fromColumn(heldSince) : createdAt),
                    new HoldItem(rs.getLong(6), rs.getLong(7), fromColumn(rs.getObject(8, LocalDateTime.class)),
                            fromColumn(rs.getObject(9, LocalDateTime.class)),
                            new Occupancy(fromColumn(rs.getObject(10, LocalDateTime.class)),
                                    fromColumn(rs.getObject(11, LocalDateTime.class)))));
        }).list();
        List<Listed> holds = new ArrayList<>();
        for (int i = 0; i < rows.size(); ) {
            Row first = rows.get(i);
            List<HoldItem> items = new ArrayList<>();
            while (i < rows.size() && rows.get(i).id().equals(first.id())) {
                items.add(rows.get(i++).item());
            }
            holds.add(new Listed(new SlotHold(UUID.fromString(first.id()), first.clientId(), first.token(), items,
                    first.createdAt(), first.expiresAt()), first.origin()));
        }
        return holds;
    }

    /** Live selections with their expiry. */
    List<TimedSelection> liveSelections() {
        return jdbc.sql("SELECT staff_id, local_day, slot_time, client_id, expires_at FROM slot_selection WHERE expires_at > ?")
                .param(toColumn(clock.instant()))
                .query((rs, n) -> new TimedSelection(new Selection(rs.getLong(1), rs.getObject(2, LocalDate.class),
                        rs.getString(3), rs.getString(4)), fromColumn(rs.getObject(5, LocalDateTime.class))))
                .list();
    }

    record Tombstone(UUID holdId, String token) {
    }

    List<Tombstone> tombstones() {
        return jdbc.sql("SELECT hold_id, token FROM released_hold WHERE expires_at > ?")
                .param(toColumn(clock.instant()))
                .query((rs, n) -> new Tombstone(UUID.fromString(rs.getString(1)), rs.getString(2))).list();
    }

    /**
     * Deletes what the failback sync has copied (and only that: rows written meanwhile stay for the next pass), in
     * one statement per table for up to {@value #FORGET_CHUNK} holds: 20 chunks of 500 cost 370 ms for 10,000 holds
     * on PostgreSQL, three statements 140 ms (docs/benchmarks.md). It runs in the failback's pass after the switch, when
     * Redis serves again, not while new calls wait at the gate.
     */
    void forget(Collection<UUID> holds, List<TimedSelection> selections, List<Tombstone> tombstones) {
        List<String> ids = holds.stream().map(UUID::toString).toList();
        for (int from = 0; from < ids.size(); from += FORGET_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FORGET_CHUNK));
            transactions.executeWithoutResult(status -> {
                jdbc.sql("DELETE FROM held_granule WHERE hold_id IN (:ids)").param("ids", chunk).update();
                jdbc.sql("DELETE FROM slot_hold_item WHERE hold_id IN (:ids)").param("ids", chunk).update();
                jdbc.sql("DELETE FROM slot_hold WHERE id IN (:ids)").param("ids", chunk).update();
            });
        }
        for (TimedSelection timed : selections) {
            Selection selection = timed.selection();
            jdbc.sql("DELETE FROM slot_selection WHERE staff_id = ? AND local_day = ? AND client_id = ? AND slot_time = ?")
                    .params(selection.staffId(), selection.date(), selection.clientId(), selection.time()).update();
        }
        List<String> released = tombstones.stream().map(tombstone -> tombstone.holdId().toString()).toList();
        for (int from = 0; from < released.size(); from += FORGET_CHUNK) {
            jdbc.sql("DELETE FROM released_hold WHERE hold_id IN (:ids)")
                    .param("ids", released.subList(from, Math.min(released.size(), from + FORGET_CHUNK))).update();
        }
    }

    /** Deletes lapsed leases, selections and hold records past their grace. Returns the rows removed. */
    public int sweep() {
        LocalDateTime now = toColumn(clock.instant());
        int removed = jdbc.sql("DELETE FROM held_granule WHERE expires_at <= ?").param(now).update();
        removed += jdbc.sql("DELETE FROM released_hold WHERE expires_at <= ?").param(now).update();
        List<String> lapsed = jdbc.sql("SELECT id FROM slot_hold WHERE record_until <= ?").param(now)
                .query(String.class).list();
        for (String id : lapsed) {
            jdbc.sql("DELETE FROM slot_hold_item WHERE hold_id = ?").param(id).update();
            removed += jdbc.sql("DELETE FROM slot_hold WHERE id = ? AND record_until <= ?").params(id, now).update();
        }
        return removed;
    }

    /**
     * Expiries are kept to the millisecond: TIMESTAMP/DATETIME(6) columns hold microseconds and some databases round
     * rather than truncate, so a nanosecond expiry would come back from {@link #findHold} different from the one the
     * hold or extend call answered (and a millisecond is what a Redis expiry keeps too).
     */
    private static Instant expiry(Instant now, Duration ttl) {
        return now.plus(ttl).truncatedTo(ChronoUnit.MILLIS);
    }

    private static <T> T retryOnDeadlock(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (PessimisticLockingFailureException deadlock) {
                if (attempt >= DEADLOCK_RETRIES) {
                    throw deadlock;
                }
                try {
                    Thread.sleep(RANDOM.nextInt(5 * attempt) + 1L);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw deadlock;
                }
            }
        }
    }

    static String fingerprint(String clientId, List<HoldItem> items) {
        StringBuilder canonical = new StringBuilder(clientId);
        items.stream()
                .map(item -> item.staffId() + "/" + item.serviceId() + "/" + item.start().getEpochSecond())
                .sorted()
                .forEach(part -> canonical.append('|').append(part));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(canonical.toString())));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }


    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }


    @Override
    public Listing listLive() {
        return new Listing(StorageMode.SQL, liveHolds());
    }

    @Override
    public SelectionListing listLiveSelections() {
        return new SelectionListing(StorageMode.SQL, liveSelections());
    }
}
