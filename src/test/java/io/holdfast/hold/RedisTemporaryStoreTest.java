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
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The temporary-store contract against a real, private redis-server; time passes for real (Redis TTLs). */
class RedisTemporaryStoreTest extends TemporaryStoreContract {

    private static final RedisServer REDIS = RedisServer.start();
    private static final LettuceConnectionFactory CONNECTIONS = connect();
    private static final StringRedisTemplate TEMPLATE = new StringRedisTemplate(CONNECTIONS);
    private static final RedisTemporaryStore STORE = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5),
            Duration.ofSeconds(2));

    private static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", REDIS.port()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

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
        Written script = holdAndRead(STORE);
        Written steps = holdAndRead(STEPS);

        assertThat(script.values()).isEqualTo(steps.values());
        assertThat(script.ttls().keySet()).isEqualTo(steps.ttls().keySet());
        script.ttls().forEach((key, ttl) -> {
            assertThat(ttl).as("TTL of %s", key).isPositive();
            // Both TTLs are read a moment after their hold; the moments differ by however long the machine took.
            assertThat(ttl).as("TTL of %s", key).isCloseTo(steps.ttls().get(key), org.assertj.core.data.Offset.offset(60_000L));
        });
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

    private LeaseRequest request(String client, String network, HoldItem... items) {
        return new LeaseRequest(UUID.randomUUID(), client, "token-" + UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(items), network, null);
    }

    /** What a hold wrote, with its own ids, times and staff members named by role, and each key's TTL. */
    private record Written(Map<String, String> values, Map<String, Long> ttls) {
    }

    /** A hold over two staff members from a network, by this store, and everything it wrote. */
    private Written holdAndRead(RedisTemporaryStore store) {
        long[] staff = {newStaff(), newStaff()};
        String network = "net-" + UUID.randomUUID();
        LeaseRequest request = request(newClient(), network, item(staff[0], "10:00", 30, 15, 5),
                item(staff[1], "11:00", 60));
        SlotHold hold = store.hold(request, LONG_TTL, LIMIT, 12).hold();
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put(hold.id().toString(), "<hold>");
        names.put(request.fingerprint(), "<fingerprint>");
        names.put(hold.clientId(), "<client>");
        names.put(hold.token(), "<token>");
        names.put(network, "<network>");
        names.put(String.valueOf(hold.createdAt().toEpochMilli()), "<createdAt>");
        names.put(String.valueOf(hold.expiresAt().toEpochMilli()), "<expiresAt>");
        names.put(String.valueOf(staff[0]), "<staff 1>");
        names.put(String.valueOf(staff[1]), "<staff 2>");
        java.util.function.UnaryOperator<String> named = text -> {
            String result = text;
            for (Map.Entry<String, String> name : names.entrySet()) {
                result = result.replace(name.getKey(), name.getValue());
            }
            return result;
        };
        long expiry = hold.expiresAt().toEpochMilli();
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
