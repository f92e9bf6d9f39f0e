package io.holdfast.cache;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invalidation by entity: what changed (a booking, a staff member's schedule, a service, a location) decides which
 * tags get new versions, and so which cached reads are no longer served, on every level of every instance.
 *
 * <p>Read-your-writes across instances: a change gives its tags new versions in Redis, drops matching local entries
 * here, publishes the tags on Redis pub/sub and waits (up to {@code holdfast.cache.ack-timeout}) until every
 * subscribed instance has confirmed that it dropped its own. Only then does the call return, so the answer to the
 * request that made the change (a booking's 201) is sent after no instance can serve the old state any more.
 *
 * <p>Inside a transaction the invalidation runs after the commit: before it, a reader could load the old rows again
 * and cache them under the new versions. When Redis cannot be reached the change is applied locally and remembered;
 * it is replayed into Redis before this instance uses Redis again. Other instances then learn of it only when their
 * local entries expire ({@code holdfast.cache.local-ttl}).
 */
public class CacheInvalidation {

    private static final Logger log = LoggerFactory.getLogger(CacheInvalidation.class);

    private final CacheKeyspace keyspace;
    private final TwoLevelCacheManager caches;
    private final RedisCacheLevel redis;
    private final RedisCacheGate gate;
    private final CacheSettings settings;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Acks> awaitingAcks = new ConcurrentHashMap<>();
    /** Tags changed while Redis was unreachable (a set: a long outage with many bookings stays small). */
    private final Set<String> notInRedis = ConcurrentHashMap.newKeySet();
    private final Timer invalidations;
    private final Counter ackTimeouts;
    private final DistributionSummary ackedBy;

    CacheInvalidation(CacheKeyspace keyspace, TwoLevelCacheManager caches, RedisCacheLevel redis, RedisCacheGate gate,
            CacheSettings settings, MeterRegistry metrics) {
        this.keyspace = keyspace;
        this.caches = caches;
        this.redis = redis;
        this.gate = gate;
        this.settings = settings;
        this.invalidations = CacheMeters.operation(metrics, "all", "invalidate");
        this.ackTimeouts = Counter.builder("holdfast.cache.invalidation.ack.timeouts")
                .description("Invalidations that did not hear back from every instance in time").register(metrics);
        this.ackedBy = DistributionSummary.builder("holdfast.cache.invalidation.receivers")
                .description("Instances (this one included) whose confirmation an invalidation waited for")
                .register(metrics);
        gate.whenReopened(this::replayIntoRedis);
        gate.whenReopened(caches::clearLocal);
    }

    /** Confirmed bookings of a staff member changed on these local days (booked, cancelled, moved). */
    public void bookingChanged(long staffId, Collection<LocalDate> days) {
        Set<String> tags = new LinkedHashSet<>();
        days.forEach(day -> tags.add(keyspace.dayTag(staffId, day)));
        tags.add(keyspace.dashboardTag());
        invalidate(tags);
    }

    /** Working hours or time off of a staff member changed. */
    public void scheduleChanged(long staffId) {
        invalidate(Set.of(keyspace.staffTag(staffId), keyspace.dashboardTag()));
    }

    /** A staff member was created or changed. */
    public void staffChanged(long staffId) {
        invalidate(Set.of(keyspace.staffTag(staffId), keyspace.catalogTag(), keyspace.dashboardTag()));
    }

    /** A service was created or changed. */
    public void serviceChanged(long serviceId) {
        invalidate(Set.of(keyspace.catalogTag(), keyspace.dashboardTag()));
    }

    /** A location was created or its rules changed; the schedules of its staff depend on it. */
    public void locationChanged(long locationId, Collection<Long> staffIds) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(keyspace.catalogTag());
        tags.add(keyspace.dashboardTag());
        staffIds.forEach(staffId -> tags.add(keyspace.staffTag(staffId)));
        invalidate(tags);
    }

    private void invalidate(Set<String> tags) {
        if (!settings.enabled()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    apply(tags);
                }
            });
        } else {
            apply(tags);
        }
    }

    private void apply(Set<String> tags) {
        long start = System.nanoTime();
        try {
            if (gate.usable()) {
                try {
                    // The new versions and the announcement in one round trip on one server (issue #13: a booking's
                    // answer waits for this); the local drop after Redis, so a local miss from now on finds the new
                    // versions there and loads afresh.
                    broadcast(Map.of("tags", tags), message -> redis.invalidateAndPublish(new ArrayList<>(tags),
                            settings.tagTtl(), keyspace.invalidationChannel(), message, settings.ackTimeout()),
                            () -> caches.dropLocal(tags));
                    return;
                } catch (DataAccessException failure) {
                    // Not known to have reached Redis: replayed there later (a version too many is harmless).
                    gate.failed(failure);
                }
            }
            if (gate.configured()) {
                notInRedis.addAll(tags);
            }
            caches.dropLocal(tags);
        } finally {
            CacheMeters.since(invalidations, start);
        }
    }

    /**
     * Removes the entries whose Redis key matches a glob on every level of every instance (admin clear). Tag keys
     * stay. Returns the number of Redis keys removed and the number of local entries this instance dropped.
     */
    long[] clearMatching(String glob) {
        java.util.regex.Pattern regex = globToRegex(glob);
        long removed = 0;
        if (gate.usable()) {
            removed = redis.unlinkMatching(glob);
        }
        long dropped = caches.dropLocalMatching(key -> regex.matcher(key).matches());
        if (gate.usable()) {
            try {
                broadcast(Map.of("pattern", glob),
                        message -> redis.publishToAll(keyspace.invalidationChannel(), message, settings.ackTimeout()),
                        () -> { });
            } catch (DataAccessException failure) {
                gate.failed(failure);
            }
        }
        return new long[] {removed, dropped};
    }

    /** Redis glob ({@code * ? [..] \x}) as a regex, to apply the same pattern to local keys. */
    static java.util.regex.Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        boolean escaped = false;
        boolean inClass = false;
        for (char c : glob.toCharArray()) {
            if (escaped) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                regex.append(c == '^' ? "\\^" : String.valueOf(c));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                inClass = true;
                regex.append('[');
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException malformed) {
            return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(glob));
        }
    }

    /**
     * Announces a change to every instance and waits for their confirmations.
     *
     * @param publish        sends the message, returns how many instances it reached ({@code -1}: not known)
     * @param beforeWaiting  runs once the message is out, before the wait
     * @throws DataAccessException when the message could not be sent
     */
    private void broadcast(Map<String, Object> change, java.util.function.ToLongFunction<String> publish,
            Runnable beforeWaiting) {
        String id = UUID.randomUUID().toString();
        Acks acks = new Acks();
        // Registered before publishing: the first acks can arrive before publish() returns.
        awaitingAcks.put(id, acks);
        try {
            Map<String, Object> body = new java.util.HashMap<>(change);
            body.put("id", id);
            body.put("from", instanceId);
            String message = json.writeValueAsString(body);
            long start = System.nanoTime();
            // Counting the receivers takes a round trip to every node of a Cluster; it comes out of the same timeout.
            long receivers = publish.applyAsLong(message);
            beforeWaiting.run();
            if (receivers >= 0) {
                ackedBy.record(receivers);
            }
            long left = settings.ackTimeout().toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (!acks.await(receivers < 0 ? Long.MAX_VALUE : receivers, Math.max(0, left))) {
                ackTimeouts.increment();
                log.debug("Cache change {}: not every one of {} instances confirmed within {}", id,
                        receivers < 0 ? "?" : receivers, settings.ackTimeout());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            awaitingAcks.remove(id);
        }
    }

    /** Confirmations of one change; they may arrive before the number expected is known. */
    private static final class Acks {

        private final AtomicInteger received = new AtomicInteger();
        private final CompletableFuture<Void> all = new CompletableFuture<>();
        private volatile long expected = Long.MAX_VALUE;

        void add() {
            if (received.incrementAndGet() >= expected) {
                all.complete(null);
            }
        }

        boolean await(long expected, long timeoutMillis) throws InterruptedException {
            this.expected = expected;
            if (received.get() >= expected) {
                return true;
            }
            try {
                all.get(timeoutMillis, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException late) {
                return false;
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** A change announced by an instance (this one included): drop local copies, then confirm. */
    void received(String message) {
        JsonNode node = json.readTree(message);
        if (node.has("pattern")) {
            java.util.regex.Pattern regex = globToRegex(node.get("pattern").asString());
            caches.dropLocalMatching(key -> regex.matcher(key).matches());
        } else {
            Set<String> tags = new LinkedHashSet<>();
            node.get("tags").forEach(tag -> tags.add(tag.asString()));
            caches.dropLocal(tags);
        }
        String from = node.get("from").asString();
        if (from.equals(instanceId)) {
            // This instance's own change, counted among the receivers: confirmed here, without a round trip to
            // Redis and back that the change's request would wait for.
            acknowledged(node.get("id").asString());
            return;
        }
        try {
            redis.publish(keyspace.ackChannel(from), node.get("id").asString());
        } catch (DataAccessException failure) {
            gate.failed(failure);
        }
    }

    void acknowledged(String invalidationId) {
        Acks acks = awaitingAcks.get(invalidationId);
        if (acks != null) {
            acks.add();
        }
    }

    String instanceId() {
        return instanceId;
    }

    /** Changes made while Redis was unreachable, replayed before Redis is used again. */
    private void replayIntoRedis() {
        List<String> tags = new ArrayList<>(notInRedis);
        if (!tags.isEmpty()) {
            redis.invalidate(tags, List.of(), settings.tagTtl());
            tags.forEach(notInRedis::remove);
        }
    }
}
