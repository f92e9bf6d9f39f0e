package io.holdfast.hold;

import io.holdfast.availability.LiveDay;
import io.holdfast.availability.Selection;
import io.holdfast.availability.VersionRead;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The temporary-store contract against a real, private redis-server; time passes for real (Redis TTLs). */
class RedisTemporaryStoreTest extends TemporaryStoreContract {

    private static final RedisServer REDIS = RedisServer.start();
    private static final LettuceConnectionFactory CONNECTIONS = REDIS.connections();
    private static final StringRedisTemplate TEMPLATE = new StringRedisTemplate(CONNECTIONS);
    private static final RedisTemporaryStore STORE = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5),
            Duration.ofSeconds(2));

    @AfterAll
    static void stop() {
        CONNECTIONS.destroy();
        REDIS.close();
    }

    /** The same store taking the steps it takes on Redis Cluster, on this one server. */
    private static final RedisTemporaryStore STEPS = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5),
            Duration.ofSeconds(2), Duration.ofMinutes(5), false);

    static {
        STORE.warmUp();
        STEPS.warmUp();
    }

    @Override
    protected TemporaryStore store() {
        return STORE;
    }

    @Test
    void everyKeyItWritesHasATtl() {
        hold(newClient(), List.of(item(newStaff(), "10:00", 30)), LONG_TTL, LIMIT);
        store().select(new Selection(newStaff(), java.time.LocalDate.now(), "10:00", newClient()), SELECTION_TTL);
        List<String> keys = REDIS.cli("--scan", "--pattern", "hf:*").lines().filter(key -> !key.isBlank()).toList();
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            // -1 is a key without a TTL; -2 a key that expired between the scan and now (other tests' short TTLs)
            assertThat(Long.parseLong(REDIS.cli("PTTL", key))).as("TTL of %s", key).isNotEqualTo(-1L);
        }
    }

    @Test
    void aWriteThatReachesRedisAfterItsDeadlineDoesNothing() {
        RedisTemporaryStore impatient = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5), Duration.ofMillis(-5_000));
        long staff = newStaff();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                impatient.hold(new LeaseRequest(java.util.UUID.randomUUID(), newClient(), "t",
                        java.time.Instant.now(), List.of(item(staff, "10:00", 30))), LONG_TTL, LIMIT))
                .isInstanceOf(RedisTemporaryStore.TooLate.class);
        assertThat(heldGranules(staff)).isEmpty();
    }

    /**
     * On a standalone server a hold is one script (one round trip), across staff members and with the network's
     * count too; Redis Cluster takes the steps (RedisClusterTemporaryStoreTest runs the same contract there).
     */
    @Test
    void aHoldIsOneRoundTripOnAStandaloneServer() {
        assertThat(STORE.holdsInOneScript()).isTrue();
        String client = newClient();
        hold(client, List.of(item(newStaff(), "09:00", 30)), LONG_TTL, LIMIT); // the script is loaded now
        Map<String, Long> before = commandsServed();
        HoldOutcome outcome = store().hold(new LeaseRequest(UUID.randomUUID(), client, "token-" + UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(item(newStaff(), "10:00", 30),
                        item(newStaff(), "11:00", 60)), "net-" + UUID.randomUUID(), null),
                LONG_TTL, LIMIT, 12);
        Map<String, Long> sent = commandsServed();
        before.forEach((command, calls) -> sent.merge(command, -calls, Long::sum));
        sent.values().removeIf(calls -> calls == 0);
        assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        // Redis counts the commands a script calls as well, so the round trips are the scripts run: one (the steps
        // run four here: the reservation, the network's, one lease for each of the two staff members, then the
        // record's pipeline).
        assertThat(sent.getOrDefault("evalsha", 0L) + sent.getOrDefault("eval", 0L)).as("scripts run, in %s", sent)
                .isEqualTo(1L);
        assertThat(store().findHold(outcome.hold().id())).isPresent();
    }

    /**
     * A cached day's availability asks Redis three small things, sent together (one round trip of latency): the
     * day's version (here a key set beside one left unset, whose values reach the day's {@link VersionRead}), its
     * selections (the selection script) and its leases; nothing else.
     */
    @Test
    void aLiveDayIsTheVersionsTheSelectionScriptAndTheLeasesAndNothingElse() {
        long staff = newStaff();
        LocalDate date = LocalDate.now().plusDays(4);
        HoldItem item = item(staff, "10:00", 30);
        assertThat(hold(newClient(), List.of(item), LONG_TTL, LIMIT).kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        store().select(new Selection(staff, date, "11:00", newClient()), LONG_TTL);
        String set = "hf:{s:" + staff + "}:v:" + date;
        TEMPLATE.opsForValue().set(set, "1234");
        List<String> keys = List.of("hf:{s:" + staff + "}:v:unset", set);
        List<List<String>> read = new ArrayList<>();
        VersionRead version = new VersionRead() {
            @Override
            public List<String> redisKeys() {
                return keys;
            }

            @Override
            public long highest(List<String> values) {
                read.add(values);
                return 1234;
            }

            @Override
            public long onSql() {
                throw new AssertionError("read on Redis");
            }
        };
        long first = item.occupancy().granules()[0];
        STORE.liveDay(staff, date, first - 12, first + 12, version); // the script is loaded now
        Map<String, Long> before = commandsServed();
        LiveDay live = STORE.liveDay(staff, date, first - 12, first + 12, version);
        Map<String, Long> sent = commandsServed();
        before.forEach((command, calls) -> sent.merge(command, -calls, Long::sum));
        sent.values().removeIf(calls -> calls == 0);

        assertThat(sent.getOrDefault("evalsha", 0L) + sent.getOrDefault("eval", 0L)).as("scripts run, in %s", sent)
                .isEqualTo(1L);
        assertThat(sent.get("mget")).as("the versions' and the leases' reads, in %s", sent).isEqualTo(2L);
        assertThat(sent.keySet()).as("commands, with those the script called").allMatch(command -> Set.of("evalsha",
                "eval", "time", "hgetall", "mget").contains(command));
        assertThat(read.get(1)).containsExactly(null, "1234");
        assertThat(live.selections()).extracting(Selection::time).containsExactly("11:00");
        assertThat(live.held()).hasSize(item.occupancy().granules().length);
    }

    /** The one script writes the keys, values and TTLs the steps write, so every other operation reads it alike. */
    @Test
    void theOneScriptWritesWhatTheStepsWrite() {
        assertSameWrites(holdAndRead(STORE), holdAndRead(STEPS));
    }

    private static void assertSameWrites(Written script, Written steps) {
        assertThat(script.values()).isEqualTo(steps.values());
        assertThat(script.ttls().keySet()).isEqualTo(steps.ttls().keySet());
        script.ttls().forEach((key, ttl) -> {
            long expected = steps.ttls().get(key);
            assertThat(ttl).as("TTL of %s (-1: none)", key).isNotEqualTo(-1L);
            if (expected == -2L) {
                assertThat(ttl).as("TTL of %s, gone in both (-2)", key).isEqualTo(expected);
            } else {
                // Both TTLs are read a moment after their change; the moments differ by however long the machine took.
                assertThat(ttl).as("TTL of %s", key).isPositive()
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(60_000L));
            }
        });
    }

    /**
     * The one-script extend (hold-extend.lua) moves what the steps move, key by key: the leases, the record, the
     * client's and the network's reservations and the lapse index. Both extend a short hold made the same way.
     */
    @Test
    void theOneScriptExtendDoesWhatTheStepsDo() {
        assertSameWrites(extendAndRead(STORE), extendAndRead(STEPS));
    }

    /**
     * An extend keeps the lapse index ({@code hf:lapses}) alive at least as long as the hold it extends, as a take
     * does: held past the record grace after the last take, an extended hold would otherwise outlive the index, and
     * its lapse would go unannounced. Both ways (the one script and the steps).
     */
    @Test
    void anExtendKeepsTheLapseIndexAliveAsLongAsTheHold() {
        for (RedisTemporaryStore store : List.of(STORE, STEPS)) {
            Held held = holdOverTwoStaff(STORE, Duration.ofMinutes(1));
            REDIS.cli("PEXPIRE", "hf:lapses", "1000"); // as if the last take had been an hour ago
            store.extend(held.hold().id(), held.hold().token(), LONG_TTL).orElseThrow();
            assertThat(Long.parseLong(REDIS.cli("PTTL", "hf:lapses").trim()))
                    .as("hf:lapses TTL after an extend (%s)", store == STORE ? "one script" : "steps")
                    .isGreaterThanOrEqualTo(LONG_TTL.toMillis() - 10_000);
        }
    }

    private Written extendAndRead(RedisTemporaryStore store) {
        Held held = holdOverTwoStaff(STORE, Duration.ofMinutes(1));
        Instant extended = store.extend(held.hold().id(), held.hold().token(), LONG_TTL).orElseThrow();
        assertThat(extended).isAfter(held.hold().expiresAt());
        Written written = read(held, extended.toEpochMilli());
        assertThat(written.values()).containsEntry("hf:{h:<hold>} expiresAt", "<expiresAt>");
        return written;
    }

    /**
     * The one-script release (hold-release.lua) leaves what the steps leave, key by key: the record a tombstone
     * without its token, the leases of this hold gone but one another hold took after this hold's lapsed, the
     * client's and the network's reservations of this hold gone and those of the client's other hold kept.
     */
    @Test
    void theOneScriptReleaseDoesWhatTheStepsDo() {
        Written script = releaseAndRead(STORE);
        Written steps = releaseAndRead(STEPS);

        assertSameWrites(script, steps);
        assertThat(script.values()).containsEntry("hf:{h:<released>}", "none")
                .containsEntry("hf:{h:<released>}:released clientId", "<client>")
                .doesNotContainKey("hf:{h:<released>}:released token")
                .doesNotContainKey("hf:{h:<released>}:released mac")
                .containsEntry("hf:{s:<staff 1>}:g:<taken>", "<rival>|<other client>|0")
                .containsEntry("hf:lapses <released>", "none")
                .containsEntry("hf:lapses <kept>", "<expiry>")
                .containsEntry("hf:{c:<client>}:fp:<fingerprint released>", "none")
                .containsEntry("hf:{c:<client>}:fp:<fingerprint kept>", "<kept>")
                .containsEntry("hf:{c:<client>}:slots", "<kept>#1 <expiry>")
                .containsEntry("hf:{n:<network>}:slots", "<kept>#1 <expiry>")
                .containsEntry("hf:{h:<kept>} mac", "<mac kept>");
        assertThat(script.values().entrySet()).filteredOn(entry -> entry.getKey().contains(":g:")
                && !entry.getKey().contains("<taken>") && !entry.getKey().contains("<staff 3>"))
                .isNotEmpty().allSatisfy(entry -> assertThat(entry.getValue()).isEqualTo("none"));
    }

    /**
     * Two holds of one client and network, the first released by this store after one of its leases lapsed and
     * another hold took that time and another lapsed untaken; everything their keys hold afterwards.
     */
    private Written releaseAndRead(RedisTemporaryStore releaser) {
        long[] staff = {newStaff(), newStaff(), newStaff()};
        String client = newClient();
        String network = "net-" + UUID.randomUUID();
        LeaseRequest releasing = request(client, network, item(staff[0], "10:00", 30, 15, 5), item(staff[1], "11:00", 60));
        LeaseRequest keeping = request(client, network, item(staff[2], "12:00", 30));
        SlotHold released = STORE.hold(releasing, LONG_TTL, LIMIT, 12).hold();
        SlotHold kept = STORE.hold(keeping, LONG_TTL, LIMIT, 12).hold();
        long taken = releasing.items().get(0).occupancy().granules()[0];
        long[] ofSecond = releasing.items().get(1).occupancy().granules();
        String rival = UUID.randomUUID().toString();
        String otherClient = newClient();
        TEMPLATE.opsForValue().set(RedisTemporaryStore.granuleKey(staff[0], taken), rival + "|" + otherClient + "|0",
                LONG_TTL);
        TEMPLATE.delete(RedisTemporaryStore.granuleKey(staff[1], ofSecond[ofSecond.length - 1]));

        assertThat(releaser.release(released.id(), "not-" + released.token())).isFalse();
        assertThat(releaser.release(released.id(), released.token())).isTrue();
        assertThat(releaser.release(released.id(), released.token())).isFalse();

        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put(released.id().toString(), "<released>");
        names.put(kept.id().toString(), "<kept>");
        names.put(rival, "<rival>");
        names.put(otherClient, "<other client>");
        names.put(RedisTemporaryStore.redisFingerprint(releasing.fingerprint()), "<fingerprint released>");
        names.put(RedisTemporaryStore.redisFingerprint(keeping.fingerprint()), "<fingerprint kept>");
        names.put(client, "<client>");
        names.put(network, "<network>");
        names.put(released.token(), "<token released>");
        names.put(kept.token(), "<token kept>");
        names.put(mac(released.token()), "<mac released>");
        names.put(mac(kept.token()), "<mac kept>");
        // One name for both holds' times, which may fall on the same millisecond or not.
        for (SlotHold hold : List.of(released, kept)) {
            names.put(String.valueOf(hold.createdAt().toEpochMilli()), "<createdAt>");
            names.put(String.valueOf(hold.expiresAt().toEpochMilli()), "<expiry>");
        }
        names.put(String.valueOf(staff[0]) + "}:g:" + taken, "<staff 1>}:g:<taken>");
        for (int i = 0; i < staff.length; i++) {
            names.put(String.valueOf(staff[i]), "<staff " + (i + 1) + ">");
        }
        java.util.function.UnaryOperator<String> named = text -> {
            String result = text;
            for (Map.Entry<String, String> name : names.entrySet()) {
                result = result.replace(name.getKey(), name.getValue());
            }
            return result;
        };
        List<String> keys = new ArrayList<>(List.of(RedisTemporaryStore.recordKey(released.id()),
                RedisTemporaryStore.recordKey(released.id()) + ":released", RedisTemporaryStore.recordKey(kept.id()),
                RedisTemporaryStore.clientSlots(client), RedisTemporaryStore.networkSlots(network),
                RedisTemporaryStore.fingerprintKey(client, releasing.fingerprint()),
                RedisTemporaryStore.fingerprintKey(client, keeping.fingerprint())));
        for (LeaseRequest request : List.of(releasing, keeping)) {
            for (HoldItem item : request.items()) {
                for (long granule : item.occupancy().granules()) {
                    keys.add(RedisTemporaryStore.granuleKey(item.staffId(), granule));
                }
            }
        }
        Map<String, String> values = new TreeMap<>();
        Map<String, Long> ttls = new TreeMap<>();
        for (String key : keys) {
            String name = named.apply(key);
            switch (TEMPLATE.type(key)) {
                case NONE -> values.put(name, "none");
                case STRING -> values.put(name, named.apply(TEMPLATE.opsForValue().get(key)));
                case HASH -> TEMPLATE.<String, String>opsForHash().entries(key).forEach((field, value) ->
                        values.put(name + " " + field, named.apply(value)));
                case ZSET -> values.put(name, named.apply(TEMPLATE.opsForZSet().rangeWithScores(key, 0, -1).stream()
                        .map(member -> member.getValue() + " " + member.getScore().longValue())
                        .collect(java.util.stream.Collectors.joining(", "))));
                default -> values.put(name, "unexpected " + TEMPLATE.type(key));
            }
            ttls.put(name, TEMPLATE.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        for (SlotHold hold : List.of(released, kept)) {
            Double score = TEMPLATE.opsForZSet().score("hf:lapses", hold.id().toString());
            values.put(named.apply("hf:lapses " + hold.id()), score == null ? "none" : named.apply(String.valueOf(score.longValue())));
        }
        return new Written(values, ttls);
    }

    /**
     * On a standalone server a release and an extend are one script each, one round trip, where the steps read the
     * record first (a script, or HGETALL) and then send the rest.
     */
    @Test
    void aReleaseAndAnExtendAreOneRoundTripOnAStandaloneServer() {
        String client = newClient();
        SlotHold first = STORE.hold(request(client, "net-" + UUID.randomUUID(), item(newStaff(), "09:00", 30)),
                LONG_TTL, LIMIT, 12).hold();
        assertThat(STORE.extend(first.id(), first.token(), LONG_TTL)).isPresent(); // the scripts are loaded now
        assertThat(STORE.release(first.id(), first.token())).isTrue();
        SlotHold hold = STORE.hold(request(client, "net-" + UUID.randomUUID(), item(newStaff(), "10:00", 30),
                item(newStaff(), "11:00", 60)), LONG_TTL, LIMIT, 12).hold();

        Map<String, Long> extend = commandsServedBy(() ->
                assertThat(STORE.extend(hold.id(), hold.token(), LONG_TTL)).isPresent());
        Map<String, Long> release = commandsServedBy(() -> assertThat(STORE.release(hold.id(), hold.token())).isTrue());

        // Redis counts the commands a script calls as well, so the round trips are the scripts run, and no command
        // of the steps' that no script calls (the record's HGETALL and HGET) may appear.
        for (Map<String, Long> sent : List.of(extend, release)) {
            assertThat(sent.getOrDefault("evalsha", 0L) + sent.getOrDefault("eval", 0L)).as("scripts run, in %s", sent)
                    .isEqualTo(1L);
            assertThat(sent).as("commands served").doesNotContainKeys("hgetall", "hget");
        }
        assertThat(TEMPLATE.hasKey(RedisTemporaryStore.recordKey(hold.id()) + ":released")).isTrue();
    }

    /**
     * Releases race holds of the same time: threads hold overlapping slots of one staff member, and while a hold is
     * theirs they release holds of that time whose leases lapsed earlier (records still within their grace), try a
     * forged token on their own, then release their own. No lease of a live hold may be removed by another's
     * release (every hold finds its leases its own until it lets go of them, and no two holds ever lease one
     * granule), every hold is released exactly once, and every lapsed hold's release succeeds exactly once.
     */
    @Test
    void concurrentReleasesNeverRemoveAnotherHoldsLeases() throws Exception {
        long staff = newStaff();
        List<HoldItem> slots = List.of(item(staff, "10:00", 30), item(staff, "10:15", 30), item(staff, "10:30", 30));
        List<SlotHold> lapsed = new ArrayList<>();
        for (int attempt = 0; lapsed.size() < 12 && attempt < 10_000; attempt++) {
            HoldOutcome outcome = STORE.hold(request(newClient(), "", slots.get(lapsed.size() % slots.size())),
                    Duration.ofMillis(1), LIMIT, 12);
            if (outcome.kind() == HoldOutcome.Kind.CREATED) {
                lapsed.add(outcome.hold());
            }
        }
        assertThat(lapsed).hasSize(12);
        java.util.concurrent.ConcurrentHashMap<Long, UUID> leasedBy = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger[] lapsedReleases = new java.util.concurrent.atomic.AtomicInteger[lapsed.size()];
        java.util.Arrays.setAll(lapsedReleases, i -> new java.util.concurrent.atomic.AtomicInteger());
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

        List<int[]> counts = race(8, thread -> {
            String client = newClient();
            int created = 0;
            int released = 0;
            int conflicts = 0;
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < 150; i++) {
                HoldOutcome outcome = STORE.hold(request(client, "", slots.get(random.nextInt(slots.size()))),
                        LONG_TTL, LIMIT, 12);
                if (outcome.kind() != HoldOutcome.Kind.CREATED) {
                    conflicts += outcome.kind() == HoldOutcome.Kind.CONFLICT ? 1 : 0;
                    continue;
                }
                created++;
                SlotHold mine = outcome.hold();
                long[] granules = mine.items().get(0).occupancy().granules();
                for (long granule : granules) {
                    UUID before = leasedBy.putIfAbsent(granule, mine.id());
                    if (before != null) {
                        violations.add("granule " + granule + " leased by " + before + " and " + mine.id());
                    }
                }
                checkOwn(mine, granules, "after its hold", violations);
                int stale = random.nextInt(lapsed.size());
                if (STORE.release(lapsed.get(stale).id(), lapsed.get(stale).token())) {
                    lapsedReleases[stale].incrementAndGet();
                }
                if (STORE.release(mine.id(), "forged-" + mine.token())) {
                    violations.add("a forged token released " + mine.id());
                }
                checkOwn(mine, granules, "after releases of other holds", violations);
                for (long granule : granules) {
                    leasedBy.remove(granule, mine.id());
                }
                released += STORE.release(mine.id(), mine.token()) ? 1 : 0;
                if (STORE.release(mine.id(), mine.token())) {
                    violations.add(mine.id() + " released twice");
                }
            }
            return new int[] {created, released, conflicts};
        });

        assertThat(violations).isEmpty();
        int created = counts.stream().mapToInt(count -> count[0]).sum();
        assertThat(created).isPositive();
        assertThat(counts.stream().mapToInt(count -> count[1]).sum()).as("released").isEqualTo(created);
        assertThat(counts.stream().mapToInt(count -> count[0] + count[2]).sum()).as("created or refused as held")
                .isEqualTo(8 * 150);
        for (int i = 0; i < lapsed.size(); i++) {
            assertThat(lapsedReleases[i].get()).as("releases of lapsed hold %s", i).isLessThanOrEqualTo(1);
            boolean releasedNow = STORE.release(lapsed.get(i).id(), lapsed.get(i).token());
            assertThat(lapsedReleases[i].get() + (releasedNow ? 1 : 0)).as("releases of lapsed hold %s", i).isEqualTo(1);
        }
        assertThat(heldGranules(staff)).isEmpty();
    }

    /**
     * The batched failback copy (restoreAll, hold-restore.lua) writes what a copy in steps ({@code restore}, the way
     * on Redis Cluster) writes, key by key.
     */
    @Test
    void theBatchedCopyWritesWhatTheCopyInStepsWrites() {
        assertSameWrites(restoreAndRead(true), restoreAndRead(false));
    }

    /** A hold over two staff members from a network, not in Redis yet, copied in a batch or in steps. */
    private Written restoreAndRead(boolean batched) {
        long[] staff = {newStaff(), newStaff()};
        String network = "net-" + UUID.randomUUID();
        LeaseRequest request = request(newClient(), network, item(staff[0], "10:00", 30, 15, 5),
                item(staff[1], "11:00", 60));
        SlotHold hold = new SlotHold(request.holdId(), request.clientId(), request.token(), request.items(),
                request.createdAt(), request.createdAt().plus(LONG_TTL));
        if (batched) {
            assertThat(STORE.restoreAll(List.of(new RedisTemporaryStore.Restoring(hold, request.fingerprint(), network,
                    hold.createdAt())))).containsExactly(true);
        } else {
            assertThat(STEPS.restore(hold, request.fingerprint(), network, hold.createdAt())).isTrue();
        }
        return read(new Held(request, hold, staff, network), hold.expiresAt().toEpochMilli());
    }

    /**
     * A batch of copies: a hold whose time another Redis hold leases and a hold that has lapsed are answered false and
     * leave nothing behind, and the others of the batch are copied all the same.
     */
    @Test
    void aBatchedCopySkipsTheHoldsItCannotCopy() {
        long staff = newStaff();
        SlotHold rival = STORE.hold(request(newClient(), "", item(staff, "10:00", 30)), LONG_TTL, LIMIT, 12).hold();
        List<RedisTemporaryStore.Restoring> batch = new ArrayList<>();
        for (String time : List.of("09:00", "10:15", "11:00", "12:00")) {
            LeaseRequest request = request(newClient(), "", item(staff, time, 30));
            Instant expiresAt = time.equals("11:00") ? Instant.now().minusSeconds(1) : request.createdAt().plus(LONG_TTL);
            batch.add(new RedisTemporaryStore.Restoring(new SlotHold(request.holdId(), request.clientId(),
                    request.token(), request.items(), request.createdAt(), expiresAt), request.fingerprint(), "",
                    request.createdAt()));
        }
        assertThat(STORE.restoreAll(List.of())).isEmpty();

        assertThat(STORE.restoreAll(batch)).containsExactly(true, false, false, true);

        for (int i : new int[] {1, 2}) {
            SlotHold refused = batch.get(i).hold();
            assertThat(TEMPLATE.hasKey(RedisTemporaryStore.recordKey(refused.id()))).isFalse();
            assertThat(TEMPLATE.hasKey(RedisTemporaryStore.clientSlots(refused.clientId()))).isFalse();
            assertThat(TEMPLATE.opsForZSet().score("hf:lapses", refused.id().toString())).isNull();
        }
        for (int i = 0; i < batch.size(); i++) {
            SlotHold hold = batch.get(i).hold();
            for (long granule : hold.items().get(0).occupancy().granules()) {
                String lease = TEMPLATE.opsForValue().get(RedisTemporaryStore.granuleKey(staff, granule));
                if (i == 0 || i == 3) {
                    assertThat(lease).as("lease of copied hold %s", i).startsWith(hold.id() + "|" + hold.clientId() + "|");
                } else if (lease != null) {
                    assertThat(lease).as("lease of refused hold %s", i).startsWith(rival.id() + "|");
                }
            }
        }
        for (int i : new int[] {0, 3}) {
            assertThat(store().findHold(batch.get(i).hold().id())).contains(batch.get(i).hold());
        }
    }

    /**
     * Issue #13: a token of the minted shape is kept as its HMAC alone (the rest of it is the record's own fields), so
     * that every value of the record fits Redis's listpack and the record is one; the store hands the whole token
     * back, and honours that token only: one with the same HMAC and another payload (another client, other items),
     * or with the same payload and another HMAC, neither releases nor extends the hold, in one script or in steps.
     */
    @Test
    void aMintedTokenIsKeptAsItsHmacAndTheRecordStaysAListpack() {
        for (RedisTemporaryStore store : List.of(STORE, STEPS)) {
            LeaseRequest request = request(newClient(), "net-" + UUID.randomUUID(), item(newStaff(), "10:00", 30));
            SlotHold hold = store.hold(request, LONG_TTL, LIMIT, 12).hold();
            String record = RedisTemporaryStore.recordKey(hold.id());
            Map<String, String> fields = TEMPLATE.<String, String>opsForHash().entries(record);
            assertThat(fields).containsEntry("mac", mac(request.token())).doesNotContainKey("token");
            assertThat(fields.values()).allSatisfy(value -> assertThat(value).hasSizeLessThanOrEqualTo(64));
            assertThat(REDIS.cli("OBJECT", "ENCODING", record).trim()).isEqualTo("listpack");
            assertThat(store.findHold(hold.id()).orElseThrow().token()).isEqualTo(request.token());

            String mac = "." + mac(request.token());
            List<String> forged = List.of(
                    MintedTokens.of(hold.id(), newClient(), hold.createdAt(), hold.items()).replaceAll("\\..*", mac),
                    MintedTokens.of(hold.id(), hold.clientId(), hold.createdAt(), List.of(item(newStaff(), "11:00", 30)))
                            .replaceAll("\\..*", mac),
                    MintedTokens.of(hold.id(), hold.clientId(), hold.createdAt(), hold.items()),
                    request.token() + "x", "x" + request.token(), mac(request.token()));
            for (String token : forged) {
                assertThat(store.release(hold.id(), token)).as("release by %s", token).isFalse();
                assertThat(store.extend(hold.id(), token, LONG_TTL)).as("extend by %s", token).isEmpty();
            }
            assertThat(store.extend(hold.id(), request.token(), LONG_TTL)).isPresent();
            assertThat(store.release(hold.id(), request.token())).isTrue();
            assertThat(store.findHold(hold.id())).isEmpty();
            assertThat(TEMPLATE.<String, String>opsForHash().entries(record + ":released")).isNotEmpty()
                    .doesNotContainKeys("mac", "token");
        }
    }

    /**
     * A record that keeps its token whole: one written by an earlier version (a rolling upgrade finds them in Redis
     * for up to a lease and its grace), and one of a token not of the minted shape. Each is found with its token,
     * and extended and released by that token only, in one script and in steps.
     */
    @Test
    void aRecordThatKeepsItsTokenWholeIsHonouredAsBefore() {
        for (RedisTemporaryStore store : List.of(STORE, STEPS)) {
            LeaseRequest earlier = request(newClient(), "", item(newStaff(), "10:00", 30));
            SlotHold written = store.hold(earlier, LONG_TTL, LIMIT, 12).hold();
            String record = RedisTemporaryStore.recordKey(written.id());
            TEMPLATE.opsForHash().delete(record, "mac");
            TEMPLATE.opsForHash().put(record, "token", earlier.token()); // as an earlier version wrote the record
            Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            LeaseRequest otherShape = new LeaseRequest(UUID.randomUUID(), newClient(), "token-" + UUID.randomUUID(),
                    createdAt, List.of(item(newStaff(), "10:00", 30)), "", null);
            store.hold(otherShape, LONG_TTL, LIMIT, 12).hold();
            assertThat(TEMPLATE.<String, String>opsForHash().entries(RedisTemporaryStore.recordKey(otherShape.holdId())))
                    .containsEntry("token", otherShape.token()).doesNotContainKey("mac");

            for (LeaseRequest request : List.of(earlier, otherShape)) {
                assertThat(store.findHold(request.holdId()).orElseThrow().token()).isEqualTo(request.token());
                assertThat(store.release(request.holdId(), "not-" + request.token())).isFalse();
                assertThat(store.extend(request.holdId(), request.token() + "x", LONG_TTL)).isEmpty();
                assertThat(store.extend(request.holdId(), request.token(), LONG_TTL)).isPresent();
                assertThat(store.release(request.holdId(), request.token())).isTrue();
                assertThat(TEMPLATE.<String, String>opsForHash()
                        .entries(RedisTemporaryStore.recordKey(request.holdId()) + ":released")).isNotEmpty()
                        .doesNotContainKeys("mac", "token");
            }
        }
    }

    /**
     * A lease names its slot by the granule's distance from the slot's first granule (issue #13: the value then fits
     * Redis's 80-byte allocation), the buffer before the slot too, and a lease that names it in epoch seconds (an
     * earlier version's, or a slot too long or not on the granule grid for a distance of two characters) is read
     * alike.
     */
    @Test
    void aLeaseNamesItsSlotInAFewBytesAndLeasesOfEitherFormAreRead() {
        long staff = newStaff();
        HoldItem item = item(staff, "10:00", 30, 15, 5);
        SlotHold hold = STORE.hold(request(newClient(), "", item), LONG_TTL, LIMIT, 12).hold();
        long[] granules = item.occupancy().granules();
        long first = io.holdfast.catalog.Granules.of(item.start());
        for (long granule : granules) {
            String lease = TEMPLATE.opsForValue().get(RedisTemporaryStore.granuleKey(staff, granule));
            assertThat(lease).isEqualTo(hold.id() + "|" + hold.clientId() + "|" + (granule - first));
        }
        assertThat(granules[0]).isLessThan(first); // the buffer before the slot
        TEMPLATE.opsForValue().set(RedisTemporaryStore.granuleKey(staff, granules[1]),
                hold.id() + "|" + hold.clientId() + "|" + item.start().getEpochSecond(), LONG_TTL);

        assertThat(STORE.heldGranules(staff, granules[0], granules[granules.length - 1]))
                .extracting(io.holdfast.availability.HeldGranule::slotStart).hasSize(granules.length)
                .containsOnly(item.start());
        Instant start = item.start();
        assertThat(RedisTemporaryStore.slotOf(first + 99, start)).isEqualTo("99");
        assertThat(RedisTemporaryStore.slotOf(first - 9, start)).isEqualTo("-9");
        for (long granule : new long[] {first + 100, first - 10}) {
            assertThat(RedisTemporaryStore.slotStart(granule, Long.parseLong(RedisTemporaryStore.slotOf(granule, start))))
                    .isEqualTo(start);
        }
        assertThat(RedisTemporaryStore.slotOf(first, start.plusSeconds(1))).isEqualTo(
                String.valueOf(start.getEpochSecond() + 1));
        assertThat(RedisTemporaryStore.slotStart(first, start.getEpochSecond() + 1)).isEqualTo(start.plusSeconds(1));
    }

    /** The cached day's read builds its granule keys as bytes: the same keys the holds write, in order. */
    @Test
    void granuleKeysAsBytesAreTheKeysHoldsWrite() {
        long first = io.holdfast.catalog.Granules.of(Instant.parse("2026-12-04T08:00:00Z"));
        byte[][] keys = RedisTemporaryStore.granuleKeyBytes(42, first - 2, first + 150);
        assertThat(keys.length).isEqualTo(153);
        for (int i = 0; i < keys.length; i++) {
            assertThat(new String(keys[i], java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(RedisTemporaryStore.granuleKey(42, first - 2 + i));
        }
        assertThat(new String(RedisTemporaryStore.granuleKeyBytes(7, -3, -3)[0], java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("hf:{s:7}:g:-3");
        assertThat(RedisTemporaryStore.granuleKeyBytes(7, 10, 9).length).isZero();
    }

    /**
     * Redis keeps a request's fingerprint as 22 characters (128 bits of the SHA-256), in its key and the record, and a
     * retry still finds the hold by it; a retry of a request an earlier version took, which named the key by the
     * whole SHA-256, finds that hold too (a rolling upgrade), in one script and in steps.
     */
    @Test
    void aFingerprintIsKeptShortAndOneOfAnEarlierVersionIsStillFound() {
        for (RedisTemporaryStore store : List.of(STORE, STEPS)) {
            LeaseRequest request = request(newClient(), "", item(newStaff(), "10:00", 30));
            SlotHold hold = store.hold(request, LONG_TTL, LIMIT, 12).hold();
            String fingerprint = RedisTemporaryStore.redisFingerprint(request.fingerprint());
            assertThat(fingerprint).hasSize(22).isNotEqualTo(request.fingerprint());
            assertThat(TEMPLATE.opsForValue().get("hf:{c:" + request.clientId() + "}:fp:" + fingerprint))
                    .isEqualTo(hold.id().toString());
            assertThat(TEMPLATE.opsForHash().get(RedisTemporaryStore.recordKey(hold.id()), "fingerprint"))
                    .isEqualTo(fingerprint);
            LeaseRequest retry = new LeaseRequest(UUID.randomUUID(), request.clientId(), "another token",
                    request.createdAt(), request.items());
            assertThat(store.hold(retry, LONG_TTL, LIMIT, 12).hold().id()).isEqualTo(hold.id());

            // As an earlier version wrote them: the fingerprint whole, in the key and the record.
            LeaseRequest earlier = request(newClient(), "", item(newStaff(), "10:00", 30));
            SlotHold earlierHold = store.hold(earlier, LONG_TTL, LIMIT, 12).hold();
            String record = RedisTemporaryStore.recordKey(earlierHold.id());
            String wholeKey = "hf:{c:" + earlier.clientId() + "}:fp:" + earlier.fingerprint();
            TEMPLATE.rename(RedisTemporaryStore.fingerprintKey(earlier.clientId(), earlier.fingerprint()), wholeKey);
            TEMPLATE.opsForHash().put(record, "fingerprint", earlier.fingerprint());
            LeaseRequest earlierRetry = new LeaseRequest(UUID.randomUUID(), earlier.clientId(), "another token",
                    earlier.createdAt(), earlier.items());
            assertThat(store.hold(earlierRetry, LONG_TTL, LIMIT, 12).hold().id()).isEqualTo(earlierHold.id());
            assertThat(store.release(earlierHold.id(), earlierHold.token())).isTrue();
            assertThat(TEMPLATE.hasKey(wholeKey)).as("the earlier version's key, released with its hold").isFalse();
            assertThat(store.hold(earlierRetry, LONG_TTL, LIMIT, 12).hold().id()).isEqualTo(earlierRetry.holdId());
        }
    }

    /**
     * A copy of more holds than one batch sends: each hold is answered in its place, also where a Redis hold took its
     * time or it lapsed in a later batch; every copied hold is in Redis with its lapse entry, and the lapse index
     * outlives every copied record (the holds live longer one after the other, so the index must follow the last).
     */
    @Test
    void aCopyOfManyBatchesAnswersEachHoldInItsPlace() {
        int count = 1_100;
        List<RedisTemporaryStore.Restoring> holds = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        String network = "net-" + UUID.randomUUID();
        for (int i = 0; i < count; i++) {
            long staff = newStaff();
            boolean taken = i % 97 == 13;
            boolean lapsed = i == 450 || i == 1_050;
            if (taken) {
                assertThat(STORE.hold(request(newClient(), "", item(staff, "10:15", 30)), LONG_TTL, LIMIT, 12).kind())
                        .isEqualTo(HoldOutcome.Kind.CREATED);
            }
            LeaseRequest request = request(newClient(), i % 3 == 0 ? network : "", item(staff, "10:00", 30));
            // Each hold lives longer than the one before: the index's TTL must follow the longest of every batch.
            Instant expiresAt = lapsed ? Instant.now().minusSeconds(1) : request.createdAt().plus(LONG_TTL).plusSeconds(i);
            holds.add(new RedisTemporaryStore.Restoring(new SlotHold(request.holdId(), request.clientId(),
                    request.token(), request.items(), request.createdAt(), expiresAt), request.fingerprint(),
                    request.network(), request.createdAt()));
            expected.add(!taken && !lapsed);
        }

        assertThat(STORE.restoreAll(holds)).containsExactlyElementsOf(expected);

        long indexTtl = TEMPLATE.getExpire("hf:lapses", java.util.concurrent.TimeUnit.MILLISECONDS);
        for (int i = 0; i < count; i++) {
            SlotHold hold = holds.get(i).hold();
            String record = RedisTemporaryStore.recordKey(hold.id());
            if (expected.get(i)) {
                assertThat(store().findHold(hold.id())).as("copy %s", i).contains(hold);
                assertThat(TEMPLATE.opsForZSet().score("hf:lapses", hold.id().toString())).as("lapse entry %s", i)
                        .isEqualTo((double) hold.expiresAt().toEpochMilli());
                assertThat(indexTtl).as("lapse index TTL against record %s", i)
                        .isGreaterThanOrEqualTo(TEMPLATE.getExpire(record, java.util.concurrent.TimeUnit.MILLISECONDS));
            } else {
                assertThat(TEMPLATE.hasKey(record)).as("record of refused %s", i).isFalse();
                assertThat(TEMPLATE.opsForZSet().score("hf:lapses", hold.id().toString())).isNull();
            }
        }
    }

    /** Every one of the hold's leases is still its own. */
    private static void checkOwn(SlotHold hold, long[] granules, String when, List<String> violations) {
        long staff = hold.items().get(0).staffId();
        for (long granule : granules) {
            String value = TEMPLATE.opsForValue().get(RedisTemporaryStore.granuleKey(staff, granule));
            if (value == null || !value.startsWith(hold.id() + "|")) {
                violations.add("granule " + granule + " of " + hold.id() + " " + when + ": " + value);
            }
        }
    }

    /** Each refusal of the one script leaves nothing of the refused hold behind (there are no steps to undo). */
    @Test
    void aRefusedHoldInOneScriptLeavesNothingBehind() {
        String network = "net-" + UUID.randomUUID();
        long staff = newStaff();
        HoldOutcome first = STORE.hold(request(newClient(), network, item(staff, "09:00", 30)), LONG_TTL, LIMIT, 2);
        assertThat(first.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        String networkSlots = RedisTemporaryStore.networkSlots(network);
        java.util.Set<String> networkBefore = TEMPLATE.opsForZSet().range(networkSlots, 0, -1);

        LeaseRequest conflict = request(newClient(), network, item(staff, "09:15", 30));
        LeaseRequest addressLimit = request(newClient(), network, item(newStaff(), "10:00", 30), item(newStaff(), "11:00", 30));
        String busy = newClient();
        STORE.hold(request(busy, "", item(newStaff(), "12:00", 30)), LONG_TTL, 1, 12);
        LeaseRequest limit = request(busy, network, item(newStaff(), "13:00", 30));

        assertThat(STORE.hold(conflict, LONG_TTL, LIMIT, 2).kind()).isEqualTo(HoldOutcome.Kind.CONFLICT);
        assertThat(STORE.hold(addressLimit, LONG_TTL, LIMIT, 2).kind()).isEqualTo(HoldOutcome.Kind.ADDRESS_LIMIT_REACHED);
        assertThat(STORE.hold(limit, LONG_TTL, 1, 2).kind()).isEqualTo(HoldOutcome.Kind.LIMIT_REACHED);
        for (LeaseRequest refused : List.of(conflict, addressLimit, limit)) {
            String id = refused.holdId().toString();
            assertThat(TEMPLATE.hasKey(RedisTemporaryStore.recordKey(refused.holdId()))).isFalse();
            assertThat(TEMPLATE.hasKey(RedisTemporaryStore.fingerprintKey(refused.clientId(), refused.fingerprint())))
                    .isFalse();
            assertThat(TEMPLATE.opsForZSet().range(RedisTemporaryStore.clientSlots(refused.clientId()), 0, -1))
                    .noneMatch(member -> member.startsWith(id));
            assertThat(TEMPLATE.opsForZSet().score("hf:lapses", id)).isNull();
            refused.items().stream().filter(item -> item.staffId() != staff)
                    .forEach(item -> assertThat(heldGranules(item.staffId())).as("granules of %s", item).isEmpty());
        }
        assertThat(TEMPLATE.opsForZSet().range(networkSlots, 0, -1)).isEqualTo(networkBefore);
        assertThat(heldGranules(staff)).containsExactly(first.hold().items().get(0).occupancy().granules());
    }

    /** A request as the workflow makes it, with a token of the minted shape (the record keeps its HMAC). */
    private LeaseRequest request(String client, String network, HoldItem... items) {
        UUID holdId = UUID.randomUUID();
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new LeaseRequest(holdId, client, MintedTokens.of(holdId, client, createdAt, List.of(items)), createdAt,
                List.of(items), network, null);
    }

    /** The HMAC part of a minted token, what the record keeps of it. */
    private static String mac(String token) {
        return token.substring(token.indexOf('.') + 1);
    }

    /** What a hold wrote, with its own ids, times and staff members named by role, and each key's TTL. */
    private record Written(Map<String, String> values, Map<String, Long> ttls) {
    }

    /** A hold over two staff members from a network, by this store, and everything it wrote. */
    private Written holdAndRead(RedisTemporaryStore store) {
        Held held = holdOverTwoStaff(store, LONG_TTL);
        return read(held, held.hold().expiresAt().toEpochMilli());
    }

    /** A hold, what it was asked as, and its staff members and network. */
    private record Held(LeaseRequest request, SlotHold hold, long[] staff, String network) {
    }

    private Held holdOverTwoStaff(RedisTemporaryStore store, Duration ttl) {
        long[] staff = {newStaff(), newStaff()};
        String network = "net-" + UUID.randomUUID();
        LeaseRequest request = request(newClient(), network, item(staff[0], "10:00", 30, 15, 5),
                item(staff[1], "11:00", 60));
        return new Held(request, store.hold(request, ttl, LIMIT, 12).hold(), staff, network);
    }

    /** Everything the hold's keys hold now, its ids, times and staff members named by role, and each key's TTL. */
    private Written read(Held held, long expiry) {
        LeaseRequest request = held.request();
        SlotHold hold = held.hold();
        long[] staff = held.staff();
        String network = held.network();
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put(hold.id().toString(), "<hold>");
        names.put(RedisTemporaryStore.redisFingerprint(request.fingerprint()), "<fingerprint>");
        names.put(hold.clientId(), "<client>");
        names.put(hold.token(), "<token>");
        names.put(mac(hold.token()), "<mac>");
        names.put(network, "<network>");
        names.put(String.valueOf(hold.createdAt().toEpochMilli()), "<createdAt>");
        names.put(String.valueOf(expiry), "<expiresAt>");
        names.put(String.valueOf(staff[0]), "<staff 1>");
        names.put(String.valueOf(staff[1]), "<staff 2>");
        java.util.function.UnaryOperator<String> named = text -> {
            String result = text;
            for (Map.Entry<String, String> name : names.entrySet()) {
                result = result.replace(name.getKey(), name.getValue());
            }
            return result;
        };
        Map<String, String> values = new TreeMap<>();
        Map<String, Long> ttls = new TreeMap<>();
        java.util.function.Consumer<String> ttl = key -> ttls.put(named.apply(key),
                TEMPLATE.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS));
        String clientSlots = RedisTemporaryStore.clientSlots(hold.clientId());
        TEMPLATE.opsForZSet().rangeWithScores(clientSlots, 0, -1).forEach(member -> values.put(
                named.apply(clientSlots) + " " + named.apply(member.getValue()),
                "expiry " + (member.getScore().longValue() - expiry)));
        ttl.accept(clientSlots);
        // The steps count the network in a script of its own, on Redis's clock a moment after the reservation: its
        // members expire that moment after the hold (the one script's at the hold's expiry exactly).
        String networkSlots = RedisTemporaryStore.networkSlots(network);
        TEMPLATE.opsForZSet().rangeWithScores(networkSlots, 0, -1).forEach(member -> values.put(
                named.apply(networkSlots) + " " + named.apply(member.getValue()),
                member.getScore().longValue() >= expiry ? "expiry at or after the hold's" : "expiry before the hold's"));
        ttl.accept(networkSlots);
        String fingerprint = RedisTemporaryStore.fingerprintKey(hold.clientId(), request.fingerprint());
        values.put(named.apply(fingerprint), named.apply(TEMPLATE.opsForValue().get(fingerprint)));
        ttl.accept(fingerprint);
        String record = RedisTemporaryStore.recordKey(hold.id());
        TEMPLATE.<String, String>opsForHash().entries(record).forEach((field, value) ->
                values.put(named.apply(record) + " " + field, named.apply(value)));
        ttl.accept(record);
        values.put("hf:lapses <hold>", "expiry " + (TEMPLATE.opsForZSet().score("hf:lapses", hold.id().toString()).longValue() - expiry));
        for (HoldItem item : request.items()) {
            for (long granule : item.occupancy().granules()) {
                String key = RedisTemporaryStore.granuleKey(item.staffId(), granule);
                values.put(named.apply(key), named.apply(TEMPLATE.opsForValue().get(key)));
                ttl.accept(key);
            }
        }
        return new Written(values, ttls);
    }

    /** The commands the server served while the work ran (nothing else talks to this private server meanwhile). */
    private static Map<String, Long> commandsServedBy(Runnable work) {
        Map<String, Long> before = commandsServed();
        work.run();
        Map<String, Long> sent = commandsServed();
        before.forEach((command, calls) -> sent.merge(command, -calls, Long::sum));
        sent.values().removeIf(calls -> calls == 0);
        return sent;
    }

    /** Calls of each command the server has served, but INFO itself (which this test sends to count). */
    private static Map<String, Long> commandsServed() {
        Map<String, Long> calls = new TreeMap<>();
        REDIS.cli("INFO", "commandstats").lines()
                .filter(line -> line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:"))
                .forEach(line -> calls.put(line.substring("cmdstat_".length(), line.indexOf(':')),
                        Long.parseLong(line.replaceAll(".*:calls=(\\d+),.*", "$1"))));
        return calls;
    }
}
