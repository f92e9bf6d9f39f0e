package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Both Redis admin endpoints on a three-master Redis Cluster: INFO, CONFIG and SLOWLOG are asked of every master,
 * and the hold listing scans every master (holds of different staff members live in different hash slots).
 */
class RedisOpsOnClusterTest {

    private static RedisCluster cluster;
    private static Instance server;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        server = cluster.startServer();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A failed-over master or moved slots are learnt from redirects and reconnects, not only at the next start. */
    @Test
    void refreshesItsViewOfTheCluster() {
        var options = server.bean(org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.class)
                .getClientConfiguration().getClientOptions().orElseThrow();
        assertThat(options).isInstanceOf(io.lettuce.core.cluster.ClusterClientOptions.class);
        var refresh = ((io.lettuce.core.cluster.ClusterClientOptions) options).getTopologyRefreshOptions();
        assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
        assertThat(refresh.getRefreshPeriod()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(refresh.getAdaptiveRefreshTriggers()).isNotEmpty();
        // the fail-fast options survive next to the cluster ones
        assertThat(options.getDisconnectedBehavior())
                .isEqualTo(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Test
    void listsHoldsFromEveryMaster() {
        Fixtures fixtures = server.fixtures();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var salon = fixtures.salon();
            LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "10:00"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            made.add(hold.json().get("holdId").asString());
        }
        Set<String> mastersWithHolds = cluster.nodesHolding("hf:{h:*}");
        assertThat(mastersWithHolds).as("the holds are spread over several masters").hasSizeGreaterThan(1);

        Api.Response response = server.api().admin("GET", "/api/v1/admin/holds?limit=500", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("store").asString()).isEqualTo("redis");
        List<String> listed = new ArrayList<>();
        response.json().get("holds").forEach(held -> listed.add(held.get("holdId").asString()));
        assertThat(listed).containsAll(made).doesNotHaveDuplicates();
    }

    @Test
    void reportsEveryMasterAndTheirSum() {
        Api.Response response = server.api().admin("GET", "/api/v1/admin/redis-status", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode status = response.json();
        assertThat(status.get("redis").asString()).isEqualTo("connected");
        assertThat(status.get("mode").asString()).isEqualTo("cluster");
        JsonNode nodes = status.get("nodes");
        assertThat(nodes).hasSize(3);
        List<String> addresses = new ArrayList<>();
        long clients = 0;
        for (JsonNode node : nodes) {
            addresses.add(node.get("address").asString());
            assertThat(node.get("role").asString()).isEqualTo("master");
            assertThat(node.get("memory").get("usedBytes").asLong()).isPositive();
            assertThat(node.get("notifyKeyspaceEvents").asString()).contains("E").contains("x");
            clients += node.get("connectedClients").asLong();
        }
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(cluster.addresses());
        JsonNode sum = status.get("server");
        assertThat(sum.get("address").asString()).isEqualTo("cluster of 3 masters");
        assertThat(sum.get("version").asString()).isEqualTo(nodes.get(0).get("version").asString());
        assertThat(sum.get("connectedClients").asLong()).isEqualTo(clients);
        assertThat(texts(status.get("warnings"))).as("RedisServer starts every node without persistence")
                .hasSize(3).allSatisfy(warning -> assertThat(warning).contains(": persistence is off"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }
}
