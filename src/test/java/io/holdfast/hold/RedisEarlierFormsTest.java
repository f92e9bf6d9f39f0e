package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.holdfast.availability.HeldGranule;
import io.holdfast.support.RedisServer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A rolling upgrade from the version before issue #13's compact Redis records: with
 * {@code holdfast.hold.write-earlier-redis-forms} this version writes a hold as that version did, byte for byte, and
 * an instance of that version ({@link EarlierRedisTemporaryStore}, its code and scripts as they were) finds, retries,
 * extends and releases it; this version does all that with holds of either form, whichever form its own instance
 * writes. In one script (a standalone server) and in the steps of Redis Cluster, for a hold and a failback copy.
 */
class RedisEarlierFormsTest extends TemporaryStoreContract {

    private static final RedisServer REDIS = RedisServer.start();
    private static final LettuceConnectionFactory CONNECTIONS = REDIS.connections();
    private static final StringRedisTemplate TEMPLATE = new StringRedisTemplate(CONNECTIONS);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** This version with the setting on (the first phase of the upgrade), in one script and in steps. */
    private static final RedisTemporaryStore EARLIER_FORMS = new RedisTemporaryStore(TEMPLATE, GRACE, TIMEOUT, GRACE,
            true, RedisTemporaryStore.Forms.EARLIER);
    private static final RedisTemporaryStore EARLIER_FORMS_STEPS = new RedisTemporaryStore(TEMPLATE, GRACE, TIMEOUT,
            GRACE, false, RedisTemporaryStore.Forms.EARLIER);
    /** This version with the setting off (the second phase, and after). */
    private static final RedisTemporaryStore COMPACT = new RedisTemporaryStore(TEMPLATE, GRACE, TIMEOUT, GRACE, true,
            RedisTemporaryStore.Forms.COMPACT);
    private static final RedisTemporaryStore COMPACT_STEPS = new RedisTemporaryStore(TEMPLATE, GRACE, TIMEOUT, GRACE,
            false, RedisTemporaryStore.Forms.COMPACT);
    /** An instance of the earlier version. */
    private static final EarlierRedisTemporaryStore EARLIER_VERSION = new EarlierRedisTemporaryStore(TEMPLATE, GRACE,
            TIMEOUT, GRACE, true);
    private static final EarlierRedisTemporaryStore EARLIER_VERSION_STEPS = new EarlierRedisTemporaryStore(TEMPLATE,
            GRACE, TIMEOUT, GRACE, false);

    static {
        List.of(EARLIER_FORMS, EARLIER_FORMS_STEPS, COMPACT, COMPACT_STEPS).forEach(RedisTemporaryStore::warmUp);
        List.of(EARLIER_VERSION, EARLIER_VERSION_STEPS).forEach(EarlierRedisTemporaryStore::warmUp);
    }

    @AfterAll
    static void stop() {
        CONNECTIONS.destroy();
        REDIS.close();
    }

    /** The whole contract, on the store that writes the earlier forms. */
    @Override
    protected TemporaryStore store() {
        return EARLIER_FORMS;
    }

    // ---- what is written --------------------------------------------------------------------------------------

    /**
     * A hold taken with the setting on writes exactly the keys, values and TTLs the earlier version's hold writes: the
     * record with the whole token in {@code token} and no {@code mac}, the whole hex fingerprint in its key and the
     * record, leases that name their slot's start in epoch seconds.
     */
    @Test
    void aHoldInEarlierFormsIsWrittenAsTheEarlierVersionWroteIt() {
        Written byEarlierVersion = written(hold(EARLIER_VERSION::hold));
        Written inEarlierForms = written(hold(EARLIER_FORMS::hold));
        assertSameWrites(inEarlierForms, byEarlierVersion);
        assertSameWrites(written(hold(EARLIER_FORMS_STEPS::hold)), written(hold(EARLIER_VERSION_STEPS::hold)));

        assertThat(inEarlierForms.values())
                .containsEntry("hf:{h:<hold>} token", "<token>")
                .doesNotContainKey("hf:{h:<hold>} mac")
                .containsEntry("hf:{h:<hold>} fingerprint", "<fingerprint hex>")
                .containsEntry("hf:{c:<client>}:fp:<fingerprint hex>", "<hold>")
                .containsEntry("hf:{c:<client>}:fp:<fingerprint compact>", "none");
        assertThat(inEarlierForms.values().entrySet()).filteredOn(entry -> entry.getKey().contains(":g:")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.getValue()).matches("<hold>\\|<client>\\|1\\d{9}"));
    }

    /** A failback copy with the setting on, batched (hold-restore.lua) or in steps, writes what the earlier one did. */
    @Test
    void aFailbackCopyInEarlierFormsIsWrittenAsTheEarlierVersionWroteIt() {
        Written inEarlierForms = written(copied(held -> EARLIER_FORMS.restoreAll(List.of(
                new RedisTemporaryStore.Restoring(held.hold(), held.request().fingerprint(), held.network(),
                        held.hold().createdAt()))).get(0)));
        assertSameWrites(inEarlierForms, written(copied(held -> EARLIER_VERSION.restoreAll(List.of(
                new EarlierRedisTemporaryStore.Restoring(held.hold(), held.request().fingerprint(), held.network(),
                        held.hold().createdAt()))).get(0))));
        assertSameWrites(written(copied(held -> EARLIER_FORMS_STEPS.restore(held.hold(), held.request().fingerprint(),
                        held.network(), held.hold().createdAt()))),
                written(copied(held -> EARLIER_VERSION_STEPS.restore(held.hold(), held.request().fingerprint(),
                        held.network(), held.hold().createdAt()))));

        assertThat(inEarlierForms.values())
                .containsEntry("hf:{h:<hold>} token", "<token>")
                .doesNotContainKey("hf:{h:<hold>} mac")
                .containsEntry("hf:{h:<hold>} fingerprint", "<fingerprint hex>")
                .containsEntry("hf:{h:<hold>} heldSince", "<createdAt>")
                .containsEntry("hf:{c:<client>}:fp:<fingerprint hex>", "<hold>");
        assertThat(inEarlierForms.values().entrySet()).filteredOn(entry -> entry.getKey().contains(":g:")).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.getValue()).matches("<hold>\\|<client>\\|1\\d{9}"));
    }

    // ---- who reads it -----------------------------------------------------------------------------------------

    /**
     * An instance of the earlier version, in one script and in steps, serves a hold this version wrote with the
     * setting on, taken or copied back at a failback, in one script or in steps: it finds it with its whole token
     * (what a booking checks), shows its leases at the slot's time, answers a retry of the request with it, extends
     * it and releases it, with its fingerprint key and leases.
     */
    @Test
    void anEarlierInstanceServesHoldsWrittenInEarlierForms() {
        for (Writer writer : earlierFormWriters()) {
            Map<String, TemporaryStore> readers = Map.of("the earlier version, one script", EARLIER_VERSION,
                    "the earlier version, steps", EARLIER_VERSION_STEPS);
            readers.forEach((name, reader) -> {
                Held held = writer.write();
                assertEarlierForms(held);
                assertServes(reader, held, writer.name() + ", served by " + name);
            });
        }
    }

    /**
     * This version serves holds of both forms whichever it writes: during the upgrade an instance with the setting
     * off (or not yet on) takes a hold that one with it on is asked to retry, extend or release, and the other way
     * round; and holds of the earlier version itself.
     */
    @Test
    void thisVersionServesHoldsOfEitherFormWhicheverItWrites() {
        List<Writer> writers = new ArrayList<>(earlierFormWriters());
        writers.add(new Writer("compact, one script", () -> hold(COMPACT::hold)));
        writers.add(new Writer("compact, steps", () -> hold(COMPACT_STEPS::hold)));
        writers.add(new Writer("earlier version", () -> hold(EARLIER_VERSION::hold)));
        for (Writer writer : writers) {
            Map<String, TemporaryStore> readers = Map.of("earlier forms, one script", EARLIER_FORMS,
                    "earlier forms, steps", EARLIER_FORMS_STEPS, "compact, one script", COMPACT,
                    "compact, steps", COMPACT_STEPS);
            readers.forEach((name, reader) -> {
                Held held = writer.write();
                if (writer.name().startsWith("compact")) {
                    assertThat(TEMPLATE.opsForHash().get(record(held), "mac")).as(writer.name()).isNotNull();
                } else {
                    assertEarlierForms(held);
                }
                assertServes(reader, held, writer.name() + ", served by " + name);
            });
        }
    }

    /** A hold's record, leases and fingerprint key are of the earlier forms, as the earlier version wrote them. */
    private static void assertEarlierForms(Held held) {
        Map<String, String> fields = TEMPLATE.<String, String>opsForHash().entries(record(held));
        assertThat(fields).containsEntry("token", held.request().token()).doesNotContainKey("mac")
                .containsEntry("fingerprint", held.request().fingerprint());
        assertThat(held.request().fingerprint()).hasSize(64);
        assertThat(TEMPLATE.opsForValue().get(RedisTemporaryStore.earlierFingerprintKey(held.hold().clientId(),
                held.request().fingerprint()))).isEqualTo(held.hold().id().toString());
        assertThat(TEMPLATE.hasKey(RedisTemporaryStore.fingerprintKey(held.hold().clientId(),
                held.request().fingerprint()))).isFalse();
        for (HoldItem item : held.request().items()) {
            for (long granule : item.occupancy().granules()) {
                assertThat(TEMPLATE.opsForValue().get(RedisTemporaryStore.granuleKey(item.staffId(), granule))).isEqualTo(
                        held.hold().id() + "|" + held.hold().clientId() + "|" + item.start().getEpochSecond());
            }
        }
    }

    /** What the workflow asks of a store about a hold, from finding it to releasing it, all answered rightly. */
    private void assertServes(TemporaryStore reader, Held held, String what) {
        SlotHold hold = held.hold();
        LeaseRequest request = held.request();
        assertThat(reader.findHold(hold.id())).as("found by %s", what).hasValueSatisfying(found -> {
            assertThat(found.token()).isEqualTo(request.token());
            assertThat(found.items()).isEqualTo(request.items());
        });
        for (HoldItem item : request.items()) {
            long[] granules = item.occupancy().granules();
            assertThat(reader.heldGranules(item.staffId(), granules[0], granules[granules.length - 1]))
                    .as("leases read by %s", what).hasSize(granules.length)
                    .allSatisfy(lease -> {
                        assertThat(lease.holdId()).isEqualTo(hold.id());
                        assertThat(lease.slotStart()).isEqualTo(item.start());
                    });
        }
        LeaseRequest retry = new LeaseRequest(UUID.randomUUID(), request.clientId(), "another token",
                request.createdAt(), request.items(), request.network(), request.retryKey());
        HoldOutcome retried = reader.hold(retry, LONG_TTL, LIMIT, 12);
        assertThat(retried.kind()).as("retry by %s", what).isEqualTo(HoldOutcome.Kind.EXISTING);
        assertThat(retried.hold().id()).isEqualTo(hold.id());
        assertThat(retried.hold().token()).isEqualTo(request.token());
        assertThat(reader.extend(hold.id(), request.token() + "x", LONG_TTL)).isEmpty();
        assertThat(reader.extend(hold.id(), request.token(), LONG_TTL)).as("extend by %s", what).isPresent();
        assertThat(reader.release(hold.id(), "not-" + request.token())).isFalse();
        assertThat(reader.release(hold.id(), request.token())).as("release by %s", what).isTrue();

        assertThat(reader.findHold(hold.id())).isEmpty();
        assertThat(reader.wasReleased(hold.id())).isTrue();
        for (String key : List.of(RedisTemporaryStore.earlierFingerprintKey(request.clientId(), request.fingerprint()),
                RedisTemporaryStore.fingerprintKey(request.clientId(), request.fingerprint()))) {
            assertThat(TEMPLATE.hasKey(key)).as("%s after the release by %s", key, what).isFalse();
        }
        for (HoldItem item : request.items()) {
            long[] granules = item.occupancy().granules();
            assertThat(reader.heldGranules(item.staffId(), granules[0], granules[granules.length - 1]))
                    .as("leases after the release by %s", what).isEmpty();
        }
        assertThat(TEMPLATE.opsForZSet().range(RedisTemporaryStore.clientSlots(request.clientId()), 0, -1))
                .noneMatch(member -> member.startsWith(hold.id().toString()));
        HoldOutcome again = reader.hold(retry, LONG_TTL, LIMIT, 12);
        assertThat(again.kind()).as("the request again after the release, by %s", what)
                .isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(reader.release(again.hold().id(), retry.token())).isTrue();
    }

    /** Who writes a hold with the setting on, and how. */
    private record Writer(String name, java.util.function.Supplier<Held> writes) {

        Held write() {
            return writes.get();
        }
    }

    private List<Writer> earlierFormWriters() {
        return List.of(
                new Writer("earlier forms, one script", () -> hold(EARLIER_FORMS::hold)),
                new Writer("earlier forms, steps", () -> hold(EARLIER_FORMS_STEPS::hold)),
                new Writer("earlier forms, batched copy", () -> copied(held -> EARLIER_FORMS.restoreAll(List.of(
                        new RedisTemporaryStore.Restoring(held.hold(), held.request().fingerprint(), held.network(),
                                held.hold().createdAt()))).get(0))),
                new Writer("earlier forms, copy in steps", () -> copied(held -> EARLIER_FORMS_STEPS.restore(
                        held.hold(), held.request().fingerprint(), held.network(), held.hold().createdAt()))));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** A hold, what it was asked as, its staff members and network. */
    private record Held(LeaseRequest request, SlotHold hold, long[] staff, String network) {
    }

    private interface Taker {
        HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient, int maxSlotsPerAddress);
    }

    /** A hold over two staff members (one with buffers) from a network, taken by the store given. */
    private Held hold(Taker store) {
        long[] staff = {newStaff(), newStaff()};
        String network = "net-" + UUID.randomUUID();
        LeaseRequest request = request(newClient(), network, item(staff[0], "10:00", 30, 15, 5),
                item(staff[1], "11:00", 60));
        HoldOutcome outcome = store.hold(request, LONG_TTL, LIMIT, 12);
        assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        return new Held(request, outcome.hold(), staff, network);
    }

    /** Such a hold, not in Redis yet, copied back from SQL (a failback) by the copy given. */
    private Held copied(java.util.function.Predicate<Held> copy) {
        long[] staff = {newStaff(), newStaff()};
        String network = "net-" + UUID.randomUUID();
        LeaseRequest request = request(newClient(), network, item(staff[0], "10:00", 30, 15, 5),
                item(staff[1], "11:00", 60));
        SlotHold hold = new SlotHold(request.holdId(), request.clientId(), request.token(), request.items(),
                request.createdAt(), request.createdAt().plus(LONG_TTL));
        Held held = new Held(request, hold, staff, network);
        assertThat(copy.test(held)).isTrue();
        return held;
    }

    /** A request as the workflow makes it, with a token of the minted shape and an Idempotency-Key. */
    private LeaseRequest request(String client, String network, HoldItem... items) {
        UUID holdId = UUID.randomUUID();
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new LeaseRequest(holdId, client, MintedTokens.of(holdId, client, createdAt, List.of(items)), createdAt,
                List.of(items), network, "key-" + UUID.randomUUID());
    }

    private static String record(Held held) {
        return RedisTemporaryStore.recordKey(held.hold().id());
    }

    /** What a hold wrote, its ids, times and staff members named by role, and each key's TTL. */
    private record Written(Map<String, String> values, Map<String, Long> ttls) {
    }

    /** Everything the hold's keys hold now, of either form. */
    private static Written written(Held held) {
        LeaseRequest request = held.request();
        SlotHold hold = held.hold();
        long expiry = hold.expiresAt().toEpochMilli();
        Map<String, String> names = new LinkedHashMap<>();
        names.put(hold.id().toString(), "<hold>");
        names.put(request.token(), "<token>");
        names.put(request.token().substring(request.token().indexOf('.') + 1), "<mac>");
        names.put(request.fingerprint(), "<fingerprint hex>");
        names.put(RedisTemporaryStore.redisFingerprint(request.fingerprint()), "<fingerprint compact>");
        names.put(hold.clientId(), "<client>");
        names.put(held.network(), "<network>");
        names.put(String.valueOf(hold.createdAt().toEpochMilli()), "<createdAt>");
        names.put(String.valueOf(expiry), "<expiresAt>");
        names.put(String.valueOf(held.staff()[0]), "<staff 1>");
        names.put(String.valueOf(held.staff()[1]), "<staff 2>");
        UnaryOperator<String> named = text -> {
            String result = text;
            for (Map.Entry<String, String> name : names.entrySet()) {
                result = result.replace(name.getKey(), name.getValue());
            }
            return result;
        };
        List<String> keys = new ArrayList<>(List.of(RedisTemporaryStore.recordKey(hold.id()),
                RedisTemporaryStore.recordKey(hold.id()) + ":released",
                RedisTemporaryStore.clientSlots(hold.clientId()), RedisTemporaryStore.networkSlots(held.network()),
                RedisTemporaryStore.earlierFingerprintKey(hold.clientId(), request.fingerprint()),
                RedisTemporaryStore.fingerprintKey(hold.clientId(), request.fingerprint())));
        for (HoldItem item : request.items()) {
            for (long granule : item.occupancy().granules()) {
                keys.add(RedisTemporaryStore.granuleKey(item.staffId(), granule));
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
                // The steps count the network in a script of its own, a moment after the reservation: its members
                // may expire that moment after the hold.
                case ZSET -> TEMPLATE.opsForZSet().rangeWithScores(key, 0, -1).forEach(member -> values.put(
                        name + " " + named.apply(member.getValue()), member.getScore().longValue() >= expiry
                                ? "at or after the hold's expiry" : "before the hold's expiry"));
                default -> values.put(name, "unexpected " + TEMPLATE.type(key));
            }
            ttls.put(name, TEMPLATE.getExpire(key, TimeUnit.MILLISECONDS));
        }
        Double lapse = TEMPLATE.opsForZSet().score("hf:lapses", hold.id().toString());
        values.put("hf:lapses <hold>", lapse == null ? "none" : named.apply(String.valueOf(lapse.longValue())));
        return new Written(values, ttls);
    }

    private static void assertSameWrites(Written actual, Written expected) {
        assertThat(actual.values()).isEqualTo(expected.values());
        assertThat(actual.ttls().keySet()).isEqualTo(expected.ttls().keySet());
        actual.ttls().forEach((key, ttl) -> {
            long wanted = expected.ttls().get(key);
            assertThat(ttl).as("TTL of %s (-1: none)", key).isNotEqualTo(-1L);
            if (wanted == -2L) {
                assertThat(ttl).as("TTL of %s, gone in both (-2)", key).isEqualTo(wanted);
            } else {
                // Read a moment after their writes; the moments differ by however long the machine took.
                assertThat(ttl).as("TTL of %s", key).isPositive().isCloseTo(wanted, Offset.offset(60_000L));
            }
        });
    }
}
