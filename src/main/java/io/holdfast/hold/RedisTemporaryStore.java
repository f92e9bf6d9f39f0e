package io.holdfast.hold;

import io.holdfast.redis.RedisScripts;
import io.holdfast.availability.Selection;
import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.LiveDay;
import io.holdfast.availability.VersionRead;
import io.holdfast.catalog.Granules;
import io.holdfast.redis.RedisNodes;
import io.holdfast.redis.StorageMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Temporary state in Redis. Every multi-step change is a Lua script; every key has a TTL. A staff member's
 * granule leases and selections share the hash tag {@code {s:<staffId>}}, so each script touches one hash slot
 * and runs unchanged on Redis Cluster. A hold spanning several staff members leases them one staff member at a
 * time in ascending order and gives back what it took if a later one conflicts: all-or-nothing in outcome. That is
 * on Redis Cluster; where one script may touch keys of any slot (a standalone server, Sentinel's master) a hold is
 * one script, hold-take.lua, and one round trip, and so are a release (hold-release.lua) and an extend
 * (hold-extend.lua), which find the hold's other keys from its record in Redis itself.
 *
 * <p>Keys: {@code hf:{s:42}:g:<granule>} (lease: "holdId|clientId|slot", see {@link #slotOf}),
 * {@code hf:{s:42}:sel:<date>} (selections), {@code hf:{c:<client>}:slots} and {@code :fp:<fingerprint>} (slot limit
 * and idempotent retry, see {@link #redisFingerprint}),
 * {@code hf:{h:<holdId>}} (the hold's record, kept past its lease for the booking grace period; it keeps the token
 * as its HMAC, rebuilt from the record's fields, so that the record stays a small listpack: {@link RecordTokens}).
 * Those three compact forms are written unless the store writes {@link Forms#EARLIER earlier forms}; both are read.
 */
class RedisTemporaryStore implements TemporaryStore {

    private static final RedisScript<List> TAKE = script("hold-take", List.class);
    private static final RedisScript<Long> RESTORE = script("hold-restore", Long.class);
    /** Failback copies sent together: enough to keep Redis busy, few enough to answer well within the timeout. */
    private static final int RESTORE_BATCH = 200;
    private static final RedisScript<List> RESERVE = script("hold-reserve", List.class);
    private static final RedisScript<Long> UNRESERVE = script("hold-unreserve", Long.class);
    private static final RedisScript<Long> LEASE = script("granules-lease", Long.class);
    private static final RedisScript<Long> RELEASE_GRANULES = script("granules-release", Long.class);
    private static final RedisScript<Long> EXTEND_GRANULES = script("granules-extend", Long.class);
    // The scripts that check a presented token against a record come behind hold-token.lua (see RecordTokens).
    private static final RedisScript<List> TAKE_RECORD = RedisScripts.load(List.class, "hold-token", "hold-record-take");
    private static final RedisScript<Long> RELEASE = RedisScripts.load(Long.class, "hold-keys", "hold-token",
            "hold-release");
    private static final RedisScript<Long> EXTEND = RedisScripts.load(Long.class, "hold-keys", "hold-token",
            "hold-extend");
    /** The granule size for the scripts that work out a hold's granules from its record (Granules.covering). */
    private static final String GRANULE_SECONDS = String.valueOf(Granules.MINUTES * 60);
    private static final RedisScript<Long> EXTEND_RECORD = RedisScripts.load(Long.class, "hold-token",
            "hold-record-extend");
    private static final RedisScript<Long> SELECT = script("selection-put", Long.class);
    private static final RedisScript<Long> RESERVE_NETWORK = script("network-reserve", Long.class);
    private static final RedisScript<Long> UNRESERVE_NETWORK = script("network-unreserve", Long.class);
    private static final RedisScript<List> SELECTIONS = script("selection-list", List.class);

    private static final String LAPSES = "hf:lapses";
    private static final int SCAN_BATCH = 500;
    private static final String SELECTION_LAPSES = "hf:selection-lapses";

    private final StringRedisTemplate redis;
    private final Duration recordGrace;
    private final Duration markerLife;
    private final Duration commandTimeout;
    /**
     * Whether a hold, a release and an extend are one script each (hold-take.lua, hold-release.lua, hold-extend.lua):
     * where a script may touch keys of any hash slot, that is on a standalone server or Sentinel's master. On Redis
     * Cluster the client's, the network's, the staff members' and the record's keys lie in different slots, so each
     * takes its steps one by one there.
     */
    private final boolean oneScript;
    /**
     * Whether holds are written in the earlier forms ({@link Forms#EARLIER}): the token whole, a lease's slot in epoch
     * seconds, the fingerprint as the whole SHA-256 in hex.
     */
    private final boolean earlierForms;
    /** Redis clock minus ours, measured by the health probe; deadlines are given in Redis time. */
    private volatile long redisClockOffsetMillis;

    public RedisTemporaryStore(StringRedisTemplate redis, Duration recordGrace, Duration commandTimeout) {
        this(redis, recordGrace, commandTimeout, recordGrace);
    }

    /** @param markerLife how long a released hold's marker is kept (see {@link SqlTemporaryStore}) */
    public RedisTemporaryStore(StringRedisTemplate redis, Duration recordGrace, Duration commandTimeout,
            Duration markerLife) {
        this(redis, recordGrace, commandTimeout, markerLife, Forms.COMPACT);
    }

    /** As above, writing holds in the forms given ({@code holdfast.hold.write-earlier-redis-forms}). */
    public RedisTemporaryStore(StringRedisTemplate redis, Duration recordGrace, Duration commandTimeout,
            Duration markerLife, Forms forms) {
        this(redis, recordGrace, commandTimeout, markerLife,
                !RedisNodes.mode(redis.getRequiredConnectionFactory()).equals("cluster"), forms);
    }

    /**
     * With the way of holding chosen: {@code holdInOneScript} false takes the steps a Cluster needs, on any server
     * (tests and benchmarks compare the two on one server).
     */
    RedisTemporaryStore(StringRedisTemplate redis, Duration recordGrace, Duration commandTimeout, Duration markerLife,
            boolean holdInOneScript) {
        this(redis, recordGrace, commandTimeout, markerLife, holdInOneScript, Forms.COMPACT);
    }

    /** As above, writing holds in the forms given. */
    RedisTemporaryStore(StringRedisTemplate redis, Duration recordGrace, Duration commandTimeout, Duration markerLife,
            boolean holdInOneScript, Forms forms) {
        this.earlierForms = forms == Forms.EARLIER;
        this.oneScript = holdInOneScript;
        this.markerLife = markerLife;
        this.redis = redis;
        this.recordGrace = recordGrace;
        this.commandTimeout = commandTimeout;
    }

    /**
     * The forms in which a store writes a hold into Redis. Either way it reads both, so instances writing either can
     * share one Redis.
     */
    enum Forms {
        /**
         * This version's, issue #13's compact forms: the record keeps a minted token as its HMAC
         * ({@link RecordTokens}), a lease names its slot in granules ({@link #slotOf}), a fingerprint is 22
         * characters ({@link #redisFingerprint}). About 2.4 KB a half-hour hold.
         */
        COMPACT,
        /**
         * The forms of the version before those, byte for byte, which an instance of that version reads: the token
         * whole in the field {@code token}, a lease's slot as its start in epoch seconds, a fingerprint as the whole
         * SHA-256 in hex, in its key and the record. About 3.2 KB a half-hour hold. For the first phase of a rolling
         * upgrade from that version ({@code holdfast.hold.write-earlier-redis-forms}).
         */
        EARLIER
    }

    /** Thrown when a write reached Redis after its caller had given up on it; nothing was written. */
    static final class TooLate extends org.springframework.dao.QueryTimeoutException {
        TooLate() {
            super("A temporary-state write reached Redis after its deadline and was refused");
        }
    }

    @Override
    public HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient, int maxSlotsPerAddress) {
        String fingerprint = written(request.fingerprint());
        List<String> clientKeys = List.of(clientSlots(request.clientId()),
                fingerprintKeyAsWritten(request.clientId(), fingerprint));
        String other = otherFingerprintKey(request.clientId(), request.fingerprint());
        String holdId = request.holdId().toString();
        String slots = String.valueOf(request.items().size());
        if (oneScript) {
            return holdInOneScript(request, ttl, maxSlotsPerClient, maxSlotsPerAddress, clientKeys);
        }
        List<String> reserveKeys = new ArrayList<>(clientKeys);
        if (!other.isEmpty()) {
            reserveKeys.add(other);
        }
        List<?> reserved = redis.execute(RESERVE, reserveKeys, holdId, slots, String.valueOf(maxSlotsPerClient),
                String.valueOf(ttl.toMillis()), deadline());
        String verdict = String.valueOf(reserved.get(0));
        if (verdict.equals("LATE")) {
            throw new TooLate();
        }
        if (verdict.equals("LIMIT")) {
            return HoldOutcome.limitReached();
        }
        if (verdict.equals("EXISTING")) {
            UUID existing = UUID.fromString(String.valueOf(reserved.get(1)));
            return existing.equals(request.holdId()) ? adoptOwn(request, existing)
                    : existing(existing, clientKeys, request, ttl, maxSlotsPerClient, maxSlotsPerAddress);
        }
        String network = request.network();
        if (!network.isEmpty()) {
            Long room = redis.execute(RESERVE_NETWORK, List.of(networkSlots(network)), holdId, slots,
                    String.valueOf(maxSlotsPerAddress), String.valueOf(ttl.toMillis()), deadline());
            if (room == null || room != 1L) {
                redis.execute(UNRESERVE, clientKeys, holdId, slots);
                if (room != null && room < 0) {
                    throw new TooLate();
                }
                return HoldOutcome.addressLimitReached();
            }
        }
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(String.valueOf(reserved.get(1))));
        Map<Long, List<HoldItem>> byStaff = byStaff(request.items());
        List<Long> leased = new ArrayList<>();
        for (Map.Entry<Long, List<HoldItem>> staff : byStaff.entrySet()) {
            long verdictOfLease = lease(holdId, request.clientId(), staff.getKey(), staff.getValue(), ttl, deadline());
            if (verdictOfLease != 1L) {
                leased.forEach(staffId -> releaseGranules(holdId, staffId, byStaff.get(staffId)));
                redis.execute(UNRESERVE, clientKeys, holdId, slots);
                if (!network.isEmpty()) {
                    redis.execute(UNRESERVE_NETWORK, List.of(networkSlots(network)), holdId, slots);
                }
                if (verdictOfLease < 0) {
                    throw new TooLate();
                }
                return HoldOutcome.conflict();
            }
            leased.add(staff.getKey());
        }
        SlotHold hold = new SlotHold(request.holdId(), request.clientId(), request.token(), request.items(),
                request.createdAt(), expiresAt);
        writeRecord(hold, fingerprint, network);
        return HoldOutcome.created(hold);
    }

    /**
     * The steps below in one script: the reservations, every granule of every staff member, the record and the lapse
     * index, or nothing (a refusal leaves nothing behind, so there is nothing to give back).
     */
    private HoldOutcome holdInOneScript(LeaseRequest request, Duration ttl, int maxSlotsPerClient,
            int maxSlotsPerAddress, List<String> clientKeys) {
        String holdId = request.holdId().toString();
        String network = request.network();
        List<String> keys = new ArrayList<>(clientKeys);
        keys.add(recordKey(request.holdId()));
        keys.add(LAPSES);
        if (!network.isEmpty()) {
            keys.add(networkSlots(network));
        }
        String encoded = HoldItems.encode(request.items());
        Map.Entry<String, String> token = tokenField(request.holdId(), request.clientId(), request.createdAt(), encoded,
                request.token());
        List<String> args = new ArrayList<>(List.of(holdId, String.valueOf(request.items().size()),
                String.valueOf(maxSlotsPerClient), String.valueOf(ttl.toMillis()), "deadline, below",
                String.valueOf(maxSlotsPerAddress), request.clientId(), token.getKey(), token.getValue(),
                String.valueOf(request.createdAt().toEpochMilli()), written(request.fingerprint()), network,
                encoded, String.valueOf(recordGrace.toMillis()),
                otherFingerprintKey(request.clientId(), request.fingerprint())));
        byStaff(request.items()).forEach((staffId, items) -> {
            for (HoldItem item : items) {
                for (long granule : item.occupancy().granules()) {
                    keys.add(granuleKey(staffId, granule));
                    args.add(slot(granule, item.start()));
                }
            }
        });
        // Taken last, so that the time spent building the arguments (a cold start's class loading) is not the reply's.
        args.set(4, deadline());
        List<?> taken = redis.execute(TAKE, keys, args.toArray());
        String verdict = String.valueOf(taken.get(0));
        return switch (verdict) {
            case "CREATED" -> HoldOutcome.created(new SlotHold(request.holdId(), request.clientId(), request.token(),
                    request.items(), request.createdAt(), Instant.ofEpochMilli(Long.parseLong(String.valueOf(taken.get(1))))));
            case "LATE" -> throw new TooLate();
            case "LIMIT" -> HoldOutcome.limitReached();
            case "ADDRESS_LIMIT" -> HoldOutcome.addressLimitReached();
            case "CONFLICT" -> HoldOutcome.conflict();
            case "EXISTING" -> {
                UUID existing = UUID.fromString(String.valueOf(taken.get(1)));
                yield existing.equals(request.holdId()) ? adoptOwn(request, existing)
                        : existing(existing, clientKeys, request, ttl, maxSlotsPerClient, maxSlotsPerAddress);
            }
            default -> throw new IllegalStateException("hold-take.lua answered " + taken);
        };
    }

    /** Whether a hold (and a release, an extend) is one script here (see {@link #oneScript}). */
    boolean holdsInOneScript() {
        return oneScript;
    }

    /**
     * Puts a hold into Redis as it is, with its own expiry (failback sync). Refused, and nothing written, when any
     * of its granules is leased by another hold.
     */
    public boolean restore(SlotHold hold, String fingerprint) {
        return restore(hold, fingerprint, "");
    }

    /**
     * As above, with the network the hold was asked from: the copy counts against that network's slots in Redis as
     * it did in SQL (never refused for it: the hold exists already).
     */
    public boolean restore(SlotHold hold, String fingerprint, String network) {
        return restore(hold, fingerprint, network, hold.createdAt());
    }

    /**
     * As above, with since when the hold has held its time ({@code heldSince}, see {@link #rivals}): a later failback
     * that finds it competing with another hold goes by that, not by its creation.
     */
    boolean restore(SlotHold hold, String fingerprintOfRequest, String network, Instant heldSince) {
        String fingerprint = written(fingerprintOfRequest);
        Duration remaining = Duration.between(Instant.now(), hold.expiresAt());
        if (remaining.isNegative() || remaining.isZero()) {
            return false;
        }
        String holdId = hold.id().toString();
        Map<Long, List<HoldItem>> byStaff = byStaff(hold.items());
        List<Long> leased = new ArrayList<>();
        for (Map.Entry<Long, List<HoldItem>> staff : byStaff.entrySet()) {
            if (lease(holdId, hold.clientId(), staff.getKey(), staff.getValue(), remaining,
                    String.valueOf(Long.MAX_VALUE)) != 1L) {
                leased.forEach(staffId -> releaseGranules(holdId, staffId, byStaff.get(staffId)));
                return false;
            }
            leased.add(staff.getKey());
        }
        String slots = clientSlots(hold.clientId());
        String fingerprintKey = fingerprintKeyAsWritten(hold.clientId(), fingerprint);
        long expiry = hold.expiresAt().toEpochMilli();
        together(commands -> {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 1; i <= hold.items().size(); i++) {
                sent.add(commands.zadd(bytes(slots), (double) expiry, bytes(holdId + "#" + i)));
            }
            // GT: never shorten the reservation set's life below another, longer hold of the same client.
            sent.add(commands.pexpire(bytes(slots), remaining.toMillis(), ExpireArgs.Builder.gt()));
            sent.add(commands.pexpire(bytes(slots), remaining.toMillis(), ExpireArgs.Builder.nx()));
            sent.add(commands.set(bytes(fingerprintKey), bytes(holdId), SetArgs.Builder.px(remaining.toMillis())));
            if (!network.isEmpty()) {
                byte[] ofNetwork = bytes(networkSlots(network));
                for (int i = 1; i <= hold.items().size(); i++) {
                    sent.add(commands.zadd(ofNetwork, (double) expiry, bytes(holdId + "#" + i)));
                }
                sent.add(commands.pexpire(ofNetwork, remaining.toMillis(), ExpireArgs.Builder.gt()));
                sent.add(commands.pexpire(ofNetwork, remaining.toMillis(), ExpireArgs.Builder.nx()));
            }
            return sent;
        });
        writeRecord(hold, fingerprint, network, heldSince);
        return true;
    }

    /**
     * A hold to copy back from SQL, with where it was asked from and since when it has held its time (see {@link
     * #restore(SlotHold, String, String, Instant)}).
     */
    record Restoring(SlotHold hold, String fingerprint, String network, Instant heldSince) {
    }

    /**
     * {@link #restore(SlotHold, String, String, Instant)} for many holds, one script each ({@code hold-restore.lua}), sent
     * {@value #RESTORE_BATCH} at a time on the shared connection: a failback of 10,000 holds was four round trips
     * each, 2.7 s on an idle machine. Only where one script may touch keys of any hash slot ({@link
     * #holdsInOneScript()}). Answers, in order, whether each hold was copied; false when one of its granules is
     * another hold's or it has lapsed, which the caller settles one hold at a time.
     */
    List<Boolean> restoreAll(List<Restoring> holds) {
        if (!oneScript) {
            throw new IllegalStateException("A hold is copied in one script only where a script may touch any slot");
        }
        // Loaded once, then EVALSHA: a failback follows a Redis restart, which empties the script cache.
        redis.execute((RedisCallback<String>) connection ->
                connection.scriptingCommands().scriptLoad(bytes(RESTORE.getScriptAsString())));
        byte[] digest = bytes(RESTORE.getSha1());
        List<Boolean> restored = new ArrayList<>(holds.size());
        for (int from = 0; from < holds.size(); from += RESTORE_BATCH) {
            List<Restoring> batch = holds.subList(from, Math.min(holds.size(), from + RESTORE_BATCH));
            List<RedisFuture<Long>> replies = new ArrayList<>();
            long now = System.currentTimeMillis();
            long longestRecord = batch.stream().mapToLong(restoring -> restoring.hold().expiresAt().toEpochMilli())
                    .max().orElse(now) - now + recordGrace.toMillis();
            together(commands -> {
                List<RedisFuture<?>> sent = new ArrayList<>(batch.size() + 2);
                for (Restoring restoring : batch) {
                    RedisFuture<Long> reply = restoreCommand(commands, digest, restoring, now);
                    replies.add(reply);
                    if (reply != null) {
                        sent.add(reply);
                    }
                }
                // The lapse index lives as long as its longest-lived member's record, raised once for the batch
                // (after its scripts, on the same connection, so it exists by then): two calls per hold before.
                sent.add(commands.pexpire(bytes(LAPSES), longestRecord, ExpireArgs.Builder.nx()));
                sent.add(commands.pexpire(bytes(LAPSES), longestRecord, ExpireArgs.Builder.gt()));
                return sent;
            });
            for (RedisFuture<Long> reply : replies) {
                // together() has waited for every reply and thrown if a script failed (the failback is tried again).
                restored.add(reply != null && Long.valueOf(1L).equals(reply.toCompletableFuture().join()));
            }
        }
        return restored;
    }

    /** The script of one copy, or null when the hold has lapsed (nothing to copy). */
    @SuppressWarnings("unchecked")
    private RedisFuture<Long> restoreCommand(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] digest,
            Restoring restoring, long now) {
        SlotHold hold = restoring.hold();
        long remaining = hold.expiresAt().toEpochMilli() - now;
        if (remaining <= 0) {
            return null;
        }
        String holdId = hold.id().toString();
        String fingerprint = written(restoring.fingerprint());
        List<String> keys = new ArrayList<>(List.of(clientSlots(hold.clientId()),
                fingerprintKeyAsWritten(hold.clientId(), fingerprint), recordKey(hold.id()), LAPSES));
        if (!restoring.network().isEmpty()) {
            keys.add(networkSlots(restoring.network()));
        }
        String encoded = HoldItems.encode(hold.items());
        Map.Entry<String, String> token = tokenField(hold.id(), hold.clientId(), hold.createdAt(), encoded,
                hold.token());
        List<String> args = new ArrayList<>(List.of(holdId, String.valueOf(hold.items().size()),
                String.valueOf(remaining), hold.clientId(), token.getKey(), token.getValue(),
                String.valueOf(hold.createdAt().toEpochMilli()), fingerprint, restoring.network(),
                encoded, String.valueOf(recordGrace.toMillis()),
                String.valueOf(hold.expiresAt().toEpochMilli()), String.valueOf(restoring.heldSince().toEpochMilli())));
        byStaff(hold.items()).forEach((staffId, items) -> {
            for (HoldItem item : items) {
                for (long granule : item.occupancy().granules()) {
                    keys.add(granuleKey(staffId, granule));
                    args.add(slot(granule, item.start()));
                }
            }
        });
        return (RedisFuture<Long>) (RedisFuture<?>) commands.evalsha(new String(digest, StandardCharsets.UTF_8),
                ScriptOutputType.INTEGER, keys.stream().map(RedisTemporaryStore::bytes).toArray(byte[][]::new),
                args.stream().map(RedisTemporaryStore::bytes).toArray(byte[][]::new));
    }

    /**
     * A hold that competes with another for its time at a failback, and since when it has held that time: its
     * creation, unless an SQL store granted it later than that (an adoption from its token) and it came from there.
     */
    record Contender(SlotHold hold, Instant heldSince) {
    }

    /** The other holds that lease any granule of this hold right now. */
    List<Contender> rivals(SlotHold hold) {
        java.util.Set<UUID> owners = new java.util.LinkedHashSet<>();
        byStaff(hold.items()).forEach((staffId, items) -> {
            List<String> values = redis.opsForValue().multiGet(granuleKeys(staffId, items));
            for (String value : values == null ? List.<String>of() : values) {
                if (value != null) {
                    owners.add(UUID.fromString(value.substring(0, value.indexOf('|'))));
                }
            }
        });
        owners.remove(hold.id());
        List<Contender> rivals = new ArrayList<>();
        for (UUID owner : owners) {
            Map<Object, Object> fields = redis.opsForHash().entries(recordKey(owner));
            if (!fields.isEmpty()) {
                SlotHold rival = hold(owner, fields);
                Object heldSince = fields.get("heldSince");
                rivals.add(new Contender(rival, heldSince == null ? rival.createdAt()
                        : Instant.ofEpochMilli(Long.parseLong((String) heldSince))));
            }
        }
        return rivals;
    }

    /**
     * Every hold whose lease is live, found by SCAN over the hold records on every master (KEYS would block the
     * server while it walks the whole keyspace). The glob is anchored, so it matches the records and not their
     * {@code :released} markers. The token is not read: a listing never shows it.
     */
    List<SlotHold> liveHolds() {
        List<String> keys = new ArrayList<>();
        ScanOptions options = ScanOptions.scanOptions().match("hf:{h:*}").count(SCAN_BATCH).build();
        RedisNodes.onEveryMaster(redis.getRequiredConnectionFactory(), server -> {
            try (Cursor<byte[]> cursor = server.scan(options)) {
                cursor.forEachRemaining(key -> keys.add(new String(key, StandardCharsets.UTF_8)));
            }
            return null;
        });
        long now = System.currentTimeMillis() + redisClockOffsetMillis;
        byte[][] fields = {bytes("clientId"), bytes("createdAt"), bytes("expiresAt"), bytes("items")};
        List<SlotHold> live = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += SCAN_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + SCAN_BATCH));
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>();
            together(commands -> {
                batch.forEach(key -> replies.add(commands.hmget(bytes(key), fields)));
                return new ArrayList<>(replies);
            });
            for (int i = 0; i < batch.size(); i++) {
                List<String> values = replies.get(i).toCompletableFuture().join().stream()
                        .map(value -> value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null)
                        .toList();
                if (values.contains(null) || Long.parseLong(values.get(2)) <= now) {
                    continue; // released between SCAN and HMGET, or lapsed and kept only for the booking grace
                }
                String key = batch.get(i);
                UUID id;
                try {
                    id = UUID.fromString(key.substring("hf:{h:".length(), key.length() - 1));
                } catch (IllegalArgumentException notAHoldRecord) {
                    continue; // someone else's key that happens to match the glob
                }
                live.add(new SlotHold(id, values.get(0), null, HoldItems.decode(values.get(3)),
                        Instant.ofEpochMilli(Long.parseLong(values.get(1))),
                        Instant.ofEpochMilli(Long.parseLong(values.get(2)))));
            }
        }
        return live;
    }

    /** Takes a cluster-wide lock (SET NX PX); the nonce proves ownership for {@link #unlock}. */
    /** The seeds' health check with write verification: write a short-lived key and read it back. */
    boolean writeAndReadBack(String instanceId) {
        String key = "hf:health:" + instanceId;
        String value = String.valueOf(System.nanoTime());
        redis.opsForValue().set(key, value, Duration.ofSeconds(5));
        return value.equals(redis.opsForValue().get(key));
    }

    /** The client already holds these items under another id: answer with that hold (idempotent retry). */
    private HoldOutcome existing(UUID holdId, List<String> clientKeys, LeaseRequest request, Duration ttl, int max,
            int maxPerAddress) {
        // The first request may still be between its reservation and its record (steps on a Cluster, or a failback
        // copy, which writes the record last): give it a moment.
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<SlotHold> hold = findHold(holdId);
            if (hold.isPresent()) {
                return HoldOutcome.existing(hold.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return HoldOutcome.conflict();
            }
        }
        // The reservation was left behind by a request that never finished (it failed over): clear it and retry.
        redis.execute(UNRESERVE, clientKeys, holdId.toString(), String.valueOf(request.items().size()));
        String other = otherFingerprintKey(request.clientId(), request.fingerprint());
        if (!other.isEmpty()) {
            redis.execute(UNRESERVE, List.of(clientKeys.get(0), other), holdId.toString(),
                    String.valueOf(request.items().size()));
        }
        return hold(request, ttl, max, maxPerAddress);
    }

    /** The same hold asked again (adoption of a hold whose reservation survived): lease its granules afresh. */
    private HoldOutcome adoptOwn(LeaseRequest request, UUID holdId) {
        Optional<SlotHold> live = findHold(holdId).filter(hold -> hold.expiresAt().isAfter(Instant.now()));
        return live.map(HoldOutcome::existing).orElseGet(HoldOutcome::conflict);
    }

    /**
     * Connects and measures the clock before the first request, so that no request's deadline is spent on setting
     * up the connection. A Redis that is down now is fine: the health probe notices and the router falls back.
     */
    public void warmUp() {
        try {
            writeAndReadBack("warm-up");
            calibrateClock();
        } catch (RuntimeException unreachable) {
            org.slf4j.LoggerFactory.getLogger(RedisTemporaryStore.class)
                    .warn("Redis is not reachable at start ({}); serving from SQL until it is", unreachable.getMessage());
        }
    }

    /** Measures the Redis clock against ours (called by the health probe), so deadlines hold across hosts. */
    void calibrateClock() {
        long before = System.currentTimeMillis();
        Long redisNow = redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) connection ->
                connection.serverCommands().time());
        long after = System.currentTimeMillis();
        if (redisNow != null) {
            redisClockOffsetMillis = redisNow - (before + after) / 2;
        }
    }

    /**
     * The latest Redis time at which a write may still act. The caller gives up after the command timeout and
     * answers from SQL; the deadline keeps a fifth of the timeout (at least 50 ms) for the reply's way back, so a
     * write Redis accepts is one whose answer the caller still waits for.
     */
    private String deadline() {
        long timeout = commandTimeout.toMillis();
        return String.valueOf(System.currentTimeMillis() + redisClockOffsetMillis + timeout - Math.max(50, timeout / 5));
    }

    private long lease(String holdId, String clientId, long staffId, List<HoldItem> items, Duration ttl,
            String deadline) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(holdId, clientId, String.valueOf(ttl.toMillis()), deadline));
        for (HoldItem item : items) {
            for (long granule : item.occupancy().granules()) {
                keys.add(granuleKey(staffId, granule));
                args.add(slot(granule, item.start()));
            }
        }
        Long verdict = redis.execute(LEASE, keys, args.toArray());
        return verdict == null ? 0L : verdict;
    }

    private void releaseGranules(String holdId, long staffId, List<HoldItem> items) {
        redis.execute(RELEASE_GRANULES, granuleKeys(staffId, items), holdId);
    }

    /** The record, and its place in the lapse index, in one round trip (pipelined). */
    private void writeRecord(SlotHold hold, String fingerprint, String network) {
        writeRecord(hold, fingerprint, network, null);
    }

    /** As above; {@code heldSince} null when the hold has held its time since its creation (a hold made here). */
    private void writeRecord(SlotHold hold, String fingerprint, String network, Instant heldSince) {
        String key = recordKey(hold.id());
        Map<String, String> fields = new HashMap<>();
        String items = HoldItems.encode(hold.items());
        Map.Entry<String, String> token = tokenField(hold.id(), hold.clientId(), hold.createdAt(), items, hold.token());
        fields.put("clientId", hold.clientId());
        fields.put(token.getKey(), token.getValue());
        fields.put("createdAt", String.valueOf(hold.createdAt().toEpochMilli()));
        fields.put("expiresAt", String.valueOf(hold.expiresAt().toEpochMilli()));
        fields.put("fingerprint", fingerprint);
        if (!network.isEmpty()) {
            fields.put("network", network);
        }
        fields.put("items", items);
        if (heldSince != null) {
            fields.put("heldSince", String.valueOf(heldSince.toEpochMilli()));
        }
        long recordTtl = Duration.between(Instant.now(), hold.expiresAt()).plus(recordGrace).toMillis();
        Map<byte[], byte[]> raw = new HashMap<>();
        fields.forEach((name, value) -> raw.put(bytes(name), bytes(value)));
        together(commands -> List.of(
                commands.hset(bytes(key), raw),
                commands.pexpire(bytes(key), recordTtl),
                commands.zadd(bytes(LAPSES), (double) hold.expiresAt().toEpochMilli(), bytes(hold.id().toString())),
                // The index lives as long as its longest-lived member's record, so it is never left behind.
                commands.pexpire(bytes(LAPSES), recordTtl, ExpireArgs.Builder.gt()),
                commands.pexpire(bytes(LAPSES), recordTtl, ExpireArgs.Builder.nx())));
    }

    /**
     * Sends independent commands together on the shared connection (scripts as EVAL, which needs no prior SCRIPT
     * LOAD after a Redis restart) and waits for all of them: one round trip of
     * latency instead of one per command (Spring's pipelining would open a dedicated connection each time).
     */
    private void together(java.util.function.Function<RedisClusterAsyncCommands<byte[], byte[]>, List<RedisFuture<?>>> commands) {
        redis.execute((RedisCallback<Void>) connection -> {
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> async =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            List<RedisFuture<?>> sent = commands.apply(async);
            if (!LettuceFutures.awaitAll(commandTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS,
                    sent.toArray(new RedisFuture[0]))) {
                throw new org.springframework.dao.QueryTimeoutException("Redis did not answer in " + commandTimeout);
            }
            return null;
        });
    }

    @Override
    public Optional<SlotHold> findHold(UUID holdId) {
        Map<Object, Object> fields = redis.opsForHash().entries(recordKey(holdId));
        return fields.isEmpty() ? Optional.empty() : Optional.of(hold(holdId, fields));
    }

    private static SlotHold hold(UUID holdId, Map<?, ?> fields) {
        return new SlotHold(holdId, (String) fields.get("clientId"), RecordTokens.token(holdId, fields),
                HoldItems.decode((String) fields.get("items")),
                Instant.ofEpochMilli(Long.parseLong((String) fields.get("createdAt"))),
                Instant.ofEpochMilli(Long.parseLong((String) fields.get("expiresAt"))));
    }

    /**
     * On a standalone server or Sentinel's master one script, hold-release.lua, which works out the hold's other keys
     * from its record; on Redis Cluster the record's script first, then the rest (its keys lie in other slots).
     */
    @Override
    public boolean release(UUID holdId, String token) {
        RecordTokens.Presented presented = RecordTokens.presented(holdId, token);
        if (oneScript) {
            Long released = redis.execute(RELEASE, List.of(recordKey(holdId), recordKey(holdId) + ":released", LAPSES),
                    token, String.valueOf(markerLife.toMillis()), holdId.toString(), GRANULE_SECONDS,
                    presented.claim(), presented.mac());
            return released != null && released == 1L;
        }
        List<?> taken = redis.execute(TAKE_RECORD, List.of(recordKey(holdId), recordKey(holdId) + ":released"), token,
                String.valueOf(markerLife.toMillis()), presented.claim(), presented.mac());
        if (taken == null || taken.isEmpty()) {
            return false;
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < taken.size(); i += 2) {
            fields.put(String.valueOf(taken.get(i)), String.valueOf(taken.get(i + 1)));
        }
        SlotHold hold = hold(holdId, fields);
        String id = holdId.toString();
        together(commands -> {
            List<RedisFuture<?>> sent = new ArrayList<>();
            sent.add(commands.zrem(bytes(LAPSES), bytes(id)));
            byStaff(hold.items()).forEach((staffId, items) -> sent.add(commands.eval(RELEASE_GRANULES.getScriptAsString(),
                    ScriptOutputType.INTEGER, granuleKeys(staffId, items).stream().map(RedisTemporaryStore::bytes)
                            .toArray(byte[][]::new), bytes(id))));
            sent.add(commands.eval(UNRESERVE.getScriptAsString(), ScriptOutputType.INTEGER,
                    new byte[][] {bytes(clientSlots(hold.clientId())),
                            bytes(fingerprintKeyAsWritten(hold.clientId(), fields.get("fingerprint")))},
                    bytes(id), bytes(String.valueOf(hold.items().size()))));
            String network = fields.get("network");
            if (network != null) {
                sent.add(commands.eval(UNRESERVE_NETWORK.getScriptAsString(), ScriptOutputType.INTEGER,
                        new byte[][] {bytes(networkSlots(network))}, bytes(id),
                        bytes(String.valueOf(hold.items().size()))));
            }
            return sent;
        });
        return true;
    }

    /**
     * Marks a hold released that Redis holds no record of: one taken and released in the SQL store while Redis was
     * away. Without the marker its token would adopt it again once Redis serves holds (the SQL tombstone is gone
     * after the failback). An existing marker (a tombstoned record) is kept.
     */
    void markReleased(UUID holdId) {
        redis.opsForValue().setIfAbsent(recordKey(holdId) + ":released", "released", markerLife);
    }

    @Override
    public boolean wasReleased(UUID holdId) {
        return Boolean.TRUE.equals(redis.hasKey(recordKey(holdId) + ":released"));
    }

    @Override
    public Optional<Instant> extend(UUID holdId, String token, Duration ttl) {
        if (oneScript) {
            // hold-extend.lua, as release(): the steps below in one script.
            RecordTokens.Presented presented = RecordTokens.presented(holdId, token);
            Long expiry = redis.execute(EXTEND, List.of(recordKey(holdId), LAPSES), token, holdId.toString(),
                    String.valueOf(ttl.toMillis()), String.valueOf(recordGrace.toMillis()), GRANULE_SECONDS,
                    presented.claim(), presented.mac());
            return expiry == null || expiry == 0L ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expiry));
        }
        Optional<SlotHold> found = findHold(holdId);
        if (found.isEmpty() || !MessageDigest.isEqual(bytes(found.get().token()), bytes(token))) {
            return Optional.empty();
        }
        SlotHold hold = found.get();
        String id = holdId.toString();
        for (Map.Entry<Long, List<HoldItem>> staff : byStaff(hold.items()).entrySet()) {
            Long ok = redis.execute(EXTEND_GRANULES, granuleKeys(staff.getKey(), staff.getValue()), id,
                    String.valueOf(ttl.toMillis()));
            if (ok == null || ok != 1L) {
                return Optional.empty(); // a lease already lapsed: the hold is over
            }
        }
        RecordTokens.Presented presented = RecordTokens.presented(holdId, token);
        Long expiry = redis.execute(EXTEND_RECORD, List.of(recordKey(holdId)), token, String.valueOf(ttl.toMillis()),
                String.valueOf(recordGrace.toMillis()), presented.claim(), presented.mac());
        if (expiry == null || expiry == 0L) {
            return Optional.empty();
        }
        String slots = clientSlots(hold.clientId());
        Object network = redis.opsForHash().get(recordKey(holdId), "network");
        together(commands -> {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 1; i <= hold.items().size(); i++) {
                sent.add(commands.zadd(bytes(slots), (double) expiry, bytes(id + "#" + i)));
            }
            sent.add(commands.zadd(bytes(LAPSES), (double) expiry, bytes(id)));
            long recordTtl = ttl.toMillis() + recordGrace.toMillis(); // the lapse index as hold-extend.lua leaves it
            sent.add(commands.pexpire(bytes(LAPSES), recordTtl, ExpireArgs.Builder.gt()));
            sent.add(commands.pexpire(bytes(LAPSES), recordTtl, ExpireArgs.Builder.nx()));
            sent.add(commands.pexpire(bytes(slots), ttl.toMillis()));
            if (network != null) {
                // The hold keeps counting against its network for as long as it lives.
                byte[] ofNetwork = bytes(networkSlots(String.valueOf(network)));
                for (int i = 1; i <= hold.items().size(); i++) {
                    sent.add(commands.zadd(ofNetwork, (double) expiry, bytes(id + "#" + i)));
                }
                sent.add(commands.pexpire(ofNetwork, ttl.toMillis(), ExpireArgs.Builder.gt()));
            }
            return sent;
        });
        return Optional.of(Instant.ofEpochMilli(expiry));
    }

    @Override
    public List<HeldGranule> heldGranules(long staffId, long fromGranule, long toGranule) {
        return held(staffId, fromGranule, redis.opsForValue().multiGet(granuleKeys(staffId, fromGranule, toGranule)));
    }

    /**
     * The version, the selections and the leases sent together on the shared connection (a pipeline: one round trip
     * of latency), as plain reads and the small selection script. One script doing all three cost Redis about twenty
     * times what the three commands do (a cached day's granule keys go through Lua as arguments and as replies), and
     * Redis shares the cores with the server. Every key is the staff member's, one hash slot, so on Redis Cluster it
     * is one node's round trip as well.
     */
    @Override
    public LiveDay liveDay(long staffId, LocalDate date, long fromGranule, long toGranule, VersionRead version) {
        byte[][] versionKeys = version.redisKeys().stream().map(RedisTemporaryStore::bytes).toArray(byte[][]::new);
        byte[][] granuleKeys = granuleKeyBytes(staffId, fromGranule, toGranule);
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> values = new ArrayList<>(2);
        List<RedisFuture<List<Object>>> selected = new ArrayList<>(1);
        together(commands -> {
            values.add(commands.mget(versionKeys));
            selected.add(commands.eval(SELECTIONS.getScriptAsString(), ScriptOutputType.MULTI,
                    bytes(selectionKey(staffId, date))));
            List<RedisFuture<?>> sent = new ArrayList<>(List.of(values.get(0), selected.get(0)));
            if (granuleKeys.length > 0) {
                values.add(commands.mget(granuleKeys));
                sent.add(values.get(1));
            }
            return sent;
        });
        List<String> held = granuleKeys.length == 0 ? List.of() : strings(values.get(1));
        return new LiveDay(version.highest(strings(values.get(0))),
                selections(staffId, date, selected.get(0).toCompletableFuture().join().stream()
                        .map(value -> new String((byte[]) value, StandardCharsets.UTF_8)).toList()),
                held(staffId, fromGranule, held));
    }

    /** together() has waited for the reply (and thrown if it failed): its values, null where a key is not set. */
    private static List<String> strings(RedisFuture<List<KeyValue<byte[], byte[]>>> reply) {
        return reply.toCompletableFuture().join().stream()
                .map(value -> value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null).toList();
    }

    private static List<String> granuleKeys(long staffId, long fromGranule, long toGranule) {
        List<String> keys = new ArrayList<>();
        for (long granule = fromGranule; granule <= toGranule; granule++) {
            keys.add(granuleKey(staffId, granule));
        }
        return keys;
    }

    /**
     * {@link #granuleKey}'s keys from {@code fromGranule} to {@code toGranule} as bytes, built from the staff member's
     * prefix: a cached day reads about 150 of them per request, and a string concatenation and an encoding per key
     * were 8 % of its samples (issue #13).
     */
    static byte[][] granuleKeyBytes(long staffId, long fromGranule, long toGranule) {
        if (toGranule < fromGranule) {
            return new byte[0][];
        }
        byte[] prefix = granulePrefix(staffId).getBytes(StandardCharsets.US_ASCII);
        byte[][] keys = new byte[Math.toIntExact(toGranule - fromGranule + 1)][];
        for (int i = 0; i < keys.length; i++) {
            String number = Long.toString(fromGranule + i);
            byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + number.length());
            for (int c = 0; c < number.length(); c++) {
                key[prefix.length + c] = (byte) number.charAt(c);
            }
            keys[i] = key;
        }
        return keys;
    }

    /** Leases by granule from their values ("holdId|clientId|slot", null where free), the first being {@code from}'s. */
    private static List<HeldGranule> held(long staffId, long fromGranule, List<String> values) {
        List<HeldGranule> held = new ArrayList<>();
        for (int i = 0; values != null && i < values.size(); i++) {
            String value = values.get(i);
            if (value != null) {
                String[] parts = value.split("\\|", 3);
                long granule = fromGranule + i;
                held.add(new HeldGranule(staffId, granule, UUID.fromString(parts[0]), parts[1],
                        slotStart(granule, Long.parseLong(parts[2]))));
            }
        }
        return held;
    }

    /**
     * The slot a lease names, the last part of its value: as the granule's distance from the slot's first granule
     * when that is one or two characters (-9 to 99: the buffer before a slot, a slot of up to 8 hours), else as the
     * slot start in epoch seconds, as every lease was before. A lease's value "holdId|clientId|" is 74 bytes with
     * UUIDs; 2 more keep it within Redis's 80-byte allocation, where the 10 digits of a start took it to 96: 16
     * bytes a granule, 96 a half-hour hold (issue #13).
     */
    static String slotOf(long granule, Instant slotStart) {
        if (Granules.aligned(slotStart)) {
            long distance = granule - Granules.of(slotStart);
            if (distance >= -9 && distance <= 99) {
                return String.valueOf(distance);
            }
        }
        return String.valueOf(slotStart.getEpochSecond());
    }

    /**
     * The slot start of a lease of this granule from {@link #slotOf}'s text: a distance in granules or epoch seconds,
     * told apart by size (no hold starts in the first quarter hour of 1970), so that leases of both forms are read.
     */
    static Instant slotStart(long granule, long slot) {
        return Math.abs(slot) < 1000 ? Granules.start(granule - slot) : Instant.ofEpochSecond(slot);
    }

    @Override
    public void select(Selection selection, Duration ttl) {
        redis.execute(SELECT, List.of(selectionKey(selection.staffId(), selection.date())), selection.clientId(),
                selection.time(), String.valueOf(ttl.toMillis()));
        long expiry = System.currentTimeMillis() + redisClockOffsetMillis + ttl.toMillis();
        // The index outlives its newest member by a minute, so the watcher always finds a due member in it.
        long indexTtl = ttl.plusMinutes(1).toMillis();
        together(commands -> List.of(
                commands.zadd(bytes(SELECTION_LAPSES), (double) expiry, bytes(lapseMember(selection))),
                commands.pexpire(bytes(SELECTION_LAPSES), indexTtl, ExpireArgs.Builder.gt()),
                commands.pexpire(bytes(SELECTION_LAPSES), indexTtl, ExpireArgs.Builder.nx())));
    }

    @Override
    public void unselect(long staffId, LocalDate date, String clientId) {
        Object current = redis.opsForHash().get(selectionKey(staffId, date), clientId);
        redis.opsForHash().delete(selectionKey(staffId, date), clientId);
        if (current != null) {
            String time = String.valueOf(current).split("\\|")[0];
            redis.opsForZSet().remove(SELECTION_LAPSES, lapseMember(new Selection(staffId, date, time, clientId)));
        }
    }

    /**
     * Selections that ran out, through one sorted set of their expiries: whoever removes a member announces it. A
     * member whose client has since moved to another time (announced then) or renewed it is passed over.
     */
    @Override
    public List<Selection> takeLapsedSelections(int max) {
        long now = System.currentTimeMillis() + redisClockOffsetMillis;
        java.util.Set<String> due = redis.opsForZSet().rangeByScore(SELECTION_LAPSES, 0, now, 0, max);
        List<Selection> lapsed = new ArrayList<>();
        for (String member : due == null ? java.util.Set.<String>of() : due) {
            Long removed = redis.opsForZSet().remove(SELECTION_LAPSES, member);
            if (removed == null || removed != 1L) {
                continue;
            }
            String[] parts = member.split("\\|", 4);
            Selection selection = new Selection(Long.parseLong(parts[0]), LocalDate.parse(parts[1]), parts[3], parts[2]);
            String key = selectionKey(selection.staffId(), selection.date());
            Object current = redis.opsForHash().get(key, selection.clientId());
            if (current == null) {
                lapsed.add(selection);
                continue;
            }
            String[] value = String.valueOf(current).split("\\|");
            if (!value[0].equals(selection.time())) {
                continue; // the client moved to another time, which was announced when it moved
            }
            long expiry = Long.parseLong(value[1]);
            if (expiry <= now) {
                redis.opsForHash().delete(key, selection.clientId());
                lapsed.add(selection);
            } else {
                // Renewed, or the index ran a little ahead of the selection's own expiry: look again then.
                redis.opsForZSet().add(SELECTION_LAPSES, member, expiry);
            }
        }
        return lapsed;
    }

    private static String lapseMember(Selection selection) {
        return selection.staffId() + "|" + selection.date() + "|" + selection.clientId() + "|" + selection.time();
    }

    @Override
    public List<Selection> selections(long staffId, LocalDate date) {
        List<?> flat = redis.execute(SELECTIONS, List.of(selectionKey(staffId, date)));
        return selections(staffId, date, flat == null ? List.of() : flat);
    }

    /** Selections from selection-list.lua's flat list clientId, time, ..., in order of time. */
    private static List<Selection> selections(long staffId, LocalDate date, List<?> flat) {
        List<Selection> selections = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            selections.add(new Selection(staffId, date, String.valueOf(flat.get(i + 1)), String.valueOf(flat.get(i))));
        }
        selections.sort(java.util.Comparator.comparing(Selection::time));
        return selections;
    }

    /**
     * Lapses are found through one sorted set of lease expiries ({@code hf:lapses}, score = expiry): whoever
     * removes a member first announces it, so several instances never announce one lapse twice. Expiry events from
     * Redis (keyspace notifications) only make the sweeper look sooner; they are late and may be lost.
     */
    @Override
    public List<SlotHold> takeLapsed(int max) {
        long now = System.currentTimeMillis() + redisClockOffsetMillis;
        java.util.Set<String> due = redis.opsForZSet().rangeByScore(LAPSES, 0, now, 0, max);
        List<SlotHold> taken = new ArrayList<>();
        for (String id : due == null ? java.util.Set.<String>of() : due) {
            Long removed = redis.opsForZSet().remove(LAPSES, id);
            if (removed != null && removed == 1L) {
                findHold(UUID.fromString(id)).ifPresent(taken::add);
            }
        }
        return taken;
    }

    @Override
    public StorageMode mode() {
        return StorageMode.REDIS;
    }

    private static Map<Long, List<HoldItem>> byStaff(List<HoldItem> items) {
        Map<Long, List<HoldItem>> byStaff = new TreeMap<>();
        items.forEach(item -> byStaff.computeIfAbsent(item.staffId(), id -> new ArrayList<>()).add(item));
        return byStaff;
    }

    private static List<String> granuleKeys(long staffId, List<HoldItem> items) {
        List<String> keys = new ArrayList<>();
        for (HoldItem item : items) {
            for (long granule : item.occupancy().granules()) {
                keys.add(granuleKey(staffId, granule));
            }
        }
        return keys;
    }

    static String granuleKey(long staffId, long granule) {
        return granulePrefix(staffId) + granule;
    }

    private static String granulePrefix(long staffId) {
        return "hf:{s:" + staffId + "}:g:";
    }

    static String selectionKey(long staffId, LocalDate date) {
        return "hf:{s:" + staffId + "}:sel:" + date;
    }

    static String clientSlots(String clientId) {
        return "hf:{c:" + clientId + "}:slots";
    }

    static String networkSlots(String network) {
        return "hf:{n:" + network + "}:slots";
    }

    /** The key of a request's fingerprint (as {@link LeaseRequest#fingerprint} gives it, or as Redis keeps it). */
    static String fingerprintKey(String clientId, String fingerprint) {
        return fingerprintKeyAsWritten(clientId, redisFingerprint(fingerprint));
    }

    /** The key of a fingerprint as a record names it (hold-keys.lua's fingerprintKey): of either form, as it is. */
    private static String fingerprintKeyAsWritten(String clientId, String fingerprint) {
        return "hf:{c:" + clientId + "}:fp:" + fingerprint;
    }

    /**
     * A request's fingerprint as Redis keeps it, in its key and the hold's record: the first 128 bits of the SHA-256
     * in base64url, 22 characters where the hex of all 256 took 64 (issue #13: the key 216 -> 168 bytes, the record
     * about 40 less). It tells one client's requests apart, for which 128 bits are plenty. Anything else is kept as it
     * is (and is this already).
     */
    static String redisFingerprint(String fingerprint) {
        if (fingerprint.length() != 64) {
            return fingerprint;
        }
        try {
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(java.util.HexFormat.of().parseHex(fingerprint), 16));
        } catch (IllegalArgumentException notHex) {
            return fingerprint;
        }
    }

    /**
     * The key an earlier version gave this request's fingerprint (the whole SHA-256 in hex), so that a retry of a
     * request that version took during a rolling upgrade still finds its hold (for the life of that key, at most a
     * hold's lease); "" when there is no other. Can go once no instance of an earlier version runs.
     */
    static String earlierFingerprintKey(String clientId, String fingerprint) {
        return redisFingerprint(fingerprint).equals(fingerprint) ? "" : fingerprintKeyAsWritten(clientId, fingerprint);
    }

    /** A request's fingerprint as this store writes it: {@link #redisFingerprint}'s, or as it is in earlier forms. */
    private String written(String fingerprint) {
        return earlierForms ? fingerprint : redisFingerprint(fingerprint);
    }

    /**
     * The key of the form of a request's fingerprint that this store does not write, read as well, so that a retry
     * finds its hold whichever form the instance that took it wrote; "" when both forms are one.
     */
    private String otherFingerprintKey(String clientId, String fingerprint) {
        String compact = redisFingerprint(fingerprint);
        return compact.equals(fingerprint) ? "" : fingerprintKeyAsWritten(clientId, earlierForms ? compact : fingerprint);
    }

    /** The field a record keeps the token in and its value: {@link RecordTokens#field}'s, or the whole token. */
    private Map.Entry<String, String> tokenField(UUID holdId, String clientId, Instant createdAt, String encodedItems,
            String token) {
        return earlierForms ? Map.entry(RecordTokens.TOKEN, token)
                : RecordTokens.field(holdId, clientId, createdAt, encodedItems, token);
    }

    /** The slot a lease names as this store writes it: {@link #slotOf}'s, or its start in epoch seconds. */
    private String slot(long granule, Instant slotStart) {
        return earlierForms ? String.valueOf(slotStart.getEpochSecond()) : slotOf(granule, slotStart);
    }

    static String recordKey(UUID holdId) {
        return "hf:{h:" + holdId + "}";
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        return RedisScripts.load(name, type);
    }

    @Override
    public Listing listLive() {
        return new Listing(StorageMode.REDIS, liveHolds());
    }

    /**
     * Every live selection: SCAN for the days' selection hashes on every master, then each hash in one pipelined
     * round trip. A value is {@code <time>|<expiry ms>} (see selection-put.lua).
     */
    @Override
    public SelectionListing listLiveSelections() {
        List<String> keys = new ArrayList<>();
        ScanOptions options = ScanOptions.scanOptions().match("hf:{s:*}:sel:*").count(SCAN_BATCH).build();
        RedisNodes.onEveryMaster(redis.getRequiredConnectionFactory(), server -> {
            try (Cursor<byte[]> cursor = server.scan(options)) {
                cursor.forEachRemaining(key -> keys.add(new String(key, StandardCharsets.UTF_8)));
            }
            return null;
        });
        long now = System.currentTimeMillis() + redisClockOffsetMillis;
        List<TimedSelection> live = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += SCAN_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + SCAN_BATCH));
            List<RedisFuture<Map<byte[], byte[]>>> replies = new ArrayList<>();
            together(commands -> {
                batch.forEach(key -> replies.add(commands.hgetall(bytes(key))));
                return new ArrayList<>(replies);
            });
            for (int i = 0; i < batch.size(); i++) {
                String key = batch.get(i);
                long staffId;
                LocalDate date;
                try {
                    staffId = Long.parseLong(key.substring("hf:{s:".length(), key.indexOf('}')));
                    date = LocalDate.parse(key.substring(key.lastIndexOf(':') + 1));
                } catch (RuntimeException notASelectionHash) {
                    continue; // someone else's key that happens to match the glob
                }
                for (Map.Entry<byte[], byte[]> entry : replies.get(i).toCompletableFuture().join().entrySet()) {
                    String value = new String(entry.getValue(), StandardCharsets.UTF_8);
                    int bar = value.indexOf('|');
                    long expiry = bar < 0 ? 0 : Long.parseLong(value.substring(bar + 1));
                    if (expiry > now) {
                        live.add(new TimedSelection(new Selection(staffId, date, value.substring(0, bar),
                                new String(entry.getKey(), StandardCharsets.UTF_8)), Instant.ofEpochMilli(expiry)));
                    }
                }
            }
        }
        return new SelectionListing(StorageMode.REDIS, live);
    }
}
