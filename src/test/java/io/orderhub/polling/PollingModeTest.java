package io.orderhub.polling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.support.AlertReceiver;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Polling mode against a real HTTP OMS (WireMock): pages, cursors, duplicates, bad documents, failures, one poller. */
@HubTest
class PollingModeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static WireMockServer oms;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    DataSource dataSource;

    Hub hub;
    String tenant;
    String admin;
    String omsKey;
    String prefix;

    @BeforeAll
    static void startOms() {
        oms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        oms.start();
    }

    @AfterAll
    static void stopOms() {
        oms.stop();
    }

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("poll");
        prefix = "/" + tenant;
        admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
        omsKey = hub.newTenantKey(tenant, "[\"oms\"]", null);
        Hub.Answer config = hub.send(
                "PUT",
                "/api/v1/proxy-config",
                admin,
                "{\"type\": \"basic\", \"config\": {\"username\": \"poller\", \"password\": \"poll-pw\"}}");
        assertThat(config.status()).isEqualTo(204);
    }

    @Test
    void aFirstPollFollowsEveryPageFromTheBeginningAndKeepsTheOmsCursor() {
        String a = Hub.uniqueId("P");
        String b = Hub.uniqueId("P");
        String c = Hub.uniqueId("P");
        stubPage(null, null, page("page-2", null, order(a, "2026-03-01T10:00:00Z"), order(b, "2026-03-01T10:01:00Z")));
        stubPage(null, "page-2", page(null, "oms-cursor-7", order(c, "2026-03-01T10:02:00Z")));

        startPolling();

        JsonNode state = awaitPoll(1);
        assertThat(state.get("lastResult").asText()).startsWith("OK: 2 page(s), 3 order(s) accepted, 0 dead-lettered");
        assertThat(state.get("cursor").asText()).isEqualTo("oms-cursor-7");
        assertThat(state.get("cursorKind").asText()).isEqualTo("oms");
        for (String id : List.of(a, b, c)) {
            awaitStored(id);
        }
        LoggedRequest first = polls().get(0);
        assertThat(first.queryParameter("cursor").isPresent())
                .as("a first poll has no cursor")
                .isFalse();
        assertThat(first.queryParameter("limit").firstValue()).isEqualTo("50");
        assertThat(first.getHeader("Authorization")).startsWith("Basic ");

        // the next poll starts where this one ended, with the OMS's own cursor
        stubPage("oms-cursor-7", null, page(null, "oms-cursor-8"));
        Hub.Answer now = pollNow();
        assertThat(now.status()).as("%s", now).isEqualTo(200);
        assertThat(now.json().get("cursor").asText()).isEqualTo("oms-cursor-8");
        assertThat(polls().get(polls().size() - 1).queryParameter("cursor").firstValue())
                .isEqualTo("oms-cursor-7");
    }

    @Test
    void withoutAnOmsCursorTheGreatestSnapshotTimeIsReReadWithAnOverlapSoEqualTimesAreNotMissed() {
        String a = Hub.uniqueId("P");
        String b = Hub.uniqueId("P");
        String c = Hub.uniqueId("P");
        // two orders changed in the same second, split across a page boundary
        stubPage(null, null, page("p2", null, order(a, "2026-03-01T10:00:00Z"), order(b, "2026-03-01T10:05:00Z")));
        stubPage(null, "p2", page(null, null, order(c, "2026-03-01T10:05:00Z")));

        startPolling();

        JsonNode state = awaitPoll(1);
        assertThat(state.get("cursorKind").asText()).isEqualTo("time");
        assertThat(state.get("cursor").asText()).isEqualTo("2026-03-01T10:05:00Z");
        for (String id : List.of(a, b, c)) {
            awaitStored(id);
        }
        // the next poll re-reads from a minute before the greatest time seen (hub.polling.overlap)
        stubPage("2026-03-01T10:04:00Z", null, page(null, null, order(c, "2026-03-01T10:05:00Z")));
        assertThat(pollNow().status()).isEqualTo(200);
        assertThat(polls().get(polls().size() - 1).queryParameter("cursor").firstValue())
                .isEqualTo("2026-03-01T10:04:00Z");
        // what the overlap reads again has no effect
        Hub.await(
                WAIT,
                "the re-read snapshot of " + c + " recorded",
                () -> outcomes(c).size() == 2);
        assertThat(outcomes(c)).containsExactly("APPLIED", "UNCHANGED");
        assertThat(pollState().get("cursor").asText())
                .as("cursor never moves back")
                .isEqualTo("2026-03-01T10:05:00Z");
    }

    @Test
    void anInvalidPolledOrderIsDeadLetteredAndThePollMovesOn() {
        String good = Hub.uniqueId("P");
        String bad = Hub.uniqueId("P");
        ObjectNode withoutBu = order(bad, "2026-03-01T10:00:00Z");
        ((ObjectNode) withoutBu.get("customerOrder")).remove("businessUnitId");
        stubPage(null, null, page(null, null, withoutBu, order(good, "2026-03-01T10:01:00Z")));

        startPolling();

        JsonNode state = awaitPoll(1);
        assertThat(state.get("lastResult").asText()).contains("1 order(s) accepted, 1 dead-lettered");
        awaitStored(good);
        JsonNode letters = hub.send("GET", "/api/v1/dead-letters?customerOrderId=" + bad, admin, null)
                .json();
        assertThat(letters.toString()).contains(bad).contains("businessUnitId").contains("PERSISTENT");
    }

    @Test
    void aFailingOmsLosesNothingBacksOffAndAlertsOnce() {
        oms.stubFor(get(urlPathEqualTo(prefix + "/customer-orders"))
                .willReturn(aResponse().withStatus(500)));

        startPolling();

        JsonNode failed = awaitPoll(1);
        assertThat(failed.get("lastResult").asText()).startsWith("FAILED");
        assertThat(failed.get("cursor").isNull()).isTrue();
        Hub.await(WAIT, "POLLING_FAILING alert for " + tenant, () -> !alerts().isEmpty());
        assertThat(alerts().get(0).get("message").asText()).contains("polling the OMS has failed");

        // the OMS is back: the next poll reads from where the last complete poll ended (the beginning)
        String id = Hub.uniqueId("P");
        oms.resetMappings();
        stubPage(null, null, page(null, "after-outage", order(id, "2026-03-01T10:00:00Z")));
        Hub.Answer now = pollNow();
        assertThat(now.status()).as("%s", now).isEqualTo(200);
        assertThat(now.json().get("lastResult").asText()).startsWith("OK");
        assertThat(now.json().get("consecutiveFailures").asInt()).isZero();
        awaitStored(id);
        assertThat(alerts()).as("one alert per incident").hasSize(1);
    }

    @Test
    void onlyOnePollerPollsATenantAtATime() throws Exception {
        stubPage(null, null, page(null, "c1"));
        stubPage("c1", null, page(null, "c1"));
        startPolling();
        awaitPoll(1);
        int before = polls().size();
        // another hub instance holding the tenant's poll: the same PostgreSQL advisory lock, on another connection
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(3, hashtext(?))")) {
            lock.setString(1, tenant);
            lock.execute();
            Hub.Answer refused = pollNow();
            assertThat(refused.status()).as("%s", refused).isEqualTo(409);
            assertThat(refused.json().get("type").asText()).isEqualTo("urn:orderhub:problem:poll-running");
            assertThat(polls()).hasSize(before);
            // a pooled connection outlives close(): give the session lock back as the poller does
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(3, hashtext(?))")) {
                unlock.setString(1, tenant);
                unlock.execute();
            }
        }
        Hub.Answer after = pollNow();
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("lastResult").asText()).startsWith("OK");
        assertThat(polls()).hasSize(before + 1);
    }

    @Test
    void badPollingSettingsAre400AndChangeNothing() {
        String[][] cases = {
            {"{\"mode\": \"polling\", \"polling\": {\"interval\": \"PT30S\"}}", "/proxyBaseUrl"},
            {
                "{\"mode\": \"polling\", \"proxyBaseUrl\": \"" + base() + "\", \"polling\": {\"interval\": \"soon\"}}",
                "/polling/interval"
            },
            {
                "{\"mode\": \"polling\", \"proxyBaseUrl\": \"" + base() + "\", \"polling\": {\"pageSize\": 0}}",
                "/polling/pageSize"
            },
            {
                "{\"mode\": \"polling\", \"proxyBaseUrl\": \"" + base() + "\", \"polling\": {\"every\": 5}}",
                "/polling/every"
            },
        };
        for (String[] c : cases) {
            Hub.Answer refused = hub.send("PUT", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, c[0]);
            assertThat(refused.status()).as("%s -> %s", c[0], refused).isEqualTo(400);
            assertThat(refused.json().get("errors").findValuesAsText("pointer")).contains(c[1]);
        }
        assertThat(hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null)
                        .json()
                        .get("mode")
                        .asText())
                .isEqualTo("events");
        Hub.Answer notPolling = pollNow();
        assertThat(notPolling.status()).isEqualTo(409);
        assertThat(notPolling.json().get("type").asText()).isEqualTo("urn:orderhub:problem:not-polling");
    }

    // ---------------------------------------------------------------- helpers

    private void startPolling() {
        // an interval long enough that only the first scheduled poll and :poll-now run during the test
        Hub.Answer t = hub.send(
                "PUT",
                "/admin/v1/tenants/" + tenant,
                Hub.ADMIN_TOKEN,
                "{\"mode\": \"polling\", \"proxyBaseUrl\": \"" + base() + "\", \"polling\": {\"interval\": \"PT1H\","
                        + " \"pageSize\": 50}}");
        assertThat(t.status()).as("%s", t).isEqualTo(200);
    }

    private String base() {
        return "http://127.0.0.1:" + oms.port() + prefix;
    }

    private void stubPage(String cursor, String pageToken, ObjectNode page) {
        oms.stubFor(get(urlPathEqualTo(prefix + "/customer-orders"))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor))
                .withQueryParam("pageToken", pageToken == null ? absent() : equalTo(pageToken))
                .willReturn(okJson(page.toString())));
    }

    private static ObjectNode page(String nextPageToken, String cursor, ObjectNode... orders) {
        ObjectNode page = Hub.JSON.createObjectNode();
        ArrayNode list = page.putArray("customerOrders");
        for (ObjectNode o : orders) {
            list.add(o);
        }
        if (nextPageToken != null) {
            page.put("nextPageToken", nextPageToken);
        }
        if (cursor != null) {
            page.put("cursor", cursor);
        }
        return page;
    }

    private static ObjectNode order(String id, String changedAt) {
        return OrderDocs.order(id, "S1", "CREATED", changedAt, "polled");
    }

    private List<LoggedRequest> polls() {
        return oms.findAll(getRequestedFor(urlPathEqualTo(prefix + "/customer-orders")));
    }

    private JsonNode pollState() {
        return hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null)
                .json()
                .path("pollState");
    }

    private JsonNode awaitPoll(int polls) {
        Hub.await(
                WAIT,
                "poll " + polls + " of " + tenant,
                () -> pollState().has("lastResult") && polls().size() >= polls);
        return pollState();
    }

    private Hub.Answer pollNow() {
        return hub.send("POST", "/admin/v1/tenants/" + tenant + ":poll-now", Hub.ADMIN_TOKEN, null);
    }

    private void awaitStored(String id) {
        Hub.await(
                WAIT,
                "order " + id + " stored",
                () -> hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, omsKey, null)
                                .status()
                        == 200);
    }

    private List<String> outcomes(String id) {
        List<String> out = new ArrayList<>();
        hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id + "/history", omsKey, null)
                .json()
                .path("entries")
                .forEach(e -> out.add(e.path("outcome").asText()));
        return out;
    }

    private List<JsonNode> alerts() {
        return AlertReceiver.received().stream()
                .filter(a -> "POLLING_FAILING".equals(a.path("kind").asText())
                        && tenant.equals(a.path("tenantId").asText()))
                .toList();
    }
}
