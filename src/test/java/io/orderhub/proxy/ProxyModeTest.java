package io.orderhub.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Proxy mode against a real HTTP OMS (WireMock): auth, mapping, every error of api.md, isolation, secrets. */
@HubTest
class ProxyModeTest {

    static WireMockServer oms;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    OrderDocumentValidator validator;

    @Autowired
    org.apache.camel.CamelContext camel;

    Hub hub;
    String tenant;
    String admin;
    String store;
    String prefix;
    String omsKey;

    @BeforeAll
    static void startOms() {
        oms = new WireMockServer(
                options().dynamicPort().bindAddress("127.0.0.1").containerThreads(60));
        oms.start();
    }

    @AfterAll
    static void stopOms() {
        oms.stop();
    }

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
        tenant = Hub.uniqueTenant("proxy");
        prefix = "/" + tenant;
        admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
        store = hub.newTenantKey(tenant, "[\"store\"]", "[\"S1\"]");
        // every key first: making one PUTs the tenant with default settings
        omsKey = hub.newTenantKey(tenant, "[\"oms\"]", null);
        proxyMode(tenant, prefix);
    }

    // ---------------------------------------------------------------- auth and mapping

    @Test
    void basicAuthReachesTheOmsAndTheAnswerIsMappedToV2() {
        basic(admin, "hub-user", "s3cret-basic");
        stubOrder(prefix, "A1", "CREATED");

        Hub.Answer answer = hub.send(
                "GET",
                "/api/v1/business-units/S1/customer-orders/A1",
                store,
                null,
                Map.of("Correlation-Id", "corr-proxy-1", "X-Client-Secret-Header", "not-for-the-oms"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        JsonNode order = answer.json().get("customerOrder");
        assertThat(validator.validate(answer.json())).isEmpty();
        assertThat(order.get("customerOrderId").asText()).isEqualTo("A1");
        assertThat(order.get("businessUnitId").asText()).isEqualTo("S1");
        assertThat(order.at("/customer/customerId").asText()).isEqualTo("C9");
        assertThat(order.at("/status/status").asText()).isEqualTo("CREATED");
        assertThat(OrderDocumentValidator.isRfc3339DateTime(
                        order.at("/status/changedDateTime").asText()))
                .isTrue();
        assertThat(order.get("currencyId").asText()).isEqualTo("SEK");
        assertThat(order.at("/items/0/lineItemId").asText()).isEqualTo("1");
        assertThat(order.at("/items/1/lineItemId").asText()).isEqualTo("2");
        assertThat(order.at("/items/0/quantity/value").asInt()).isEqualTo(2);
        assertThat(order.at("/items/0/quantity/unitOfMeasure").asText()).isEqualTo("EA");
        assertThat(order.get("fulfillments")).isEmpty();
        // nothing of the OMS's own headers comes back
        assertThat(answer.header("X-Oms-Internal")).isNull();

        LoggedRequest sent = oms.findAll(getRequestedFor(urlEqualTo(prefix + "/business-units/S1/customer-orders/A1")))
                .get(0);
        assertThat(sent.getHeader("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("hub-user:s3cret-basic".getBytes()));
        assertThat(sent.getHeader("Correlation-Id")).isEqualTo("corr-proxy-1");
        assertThat(sent.containsHeader("X-Client-Secret-Header")).isFalse();
        assertThat(sent.getAllHeaderKeys())
                .as("only the headers the hub means to send (plus the HTTP client's own)")
                .allMatch(h -> Set.of(
                                "authorization",
                                "correlation-id",
                                "accept",
                                "host",
                                "user-agent",
                                "connection",
                                "accept-encoding")
                        .contains(h.toLowerCase()));
    }

    @Test
    void oauth2TokenIsCachedAndFetchedAgainAfterA401() {
        oauth2(admin);
        stubToken(prefix, "token-1", 3600, Scenario.STARTED, "second");
        stubToken(prefix, "token-2", 3600, "second", "second");
        stubOrder(prefix, "A1", "CREATED");

        assertThat(read("A1").status()).isEqualTo(200);
        assertThat(read("A1").status()).isEqualTo(200);
        assertThat(oms.findAll(postRequestedFor(urlEqualTo(prefix + "/oauth/token"))))
                .hasSize(1);
        LoggedRequest tokenCall = oms.findAll(postRequestedFor(urlEqualTo(prefix + "/oauth/token")))
                .get(0);
        assertThat(tokenCall.getBodyAsString()).contains("grant_type=client_credentials", "scope=orders.read");
        assertThat(tokenCall.getHeader("Authorization"))
                .isEqualTo(
                        "Basic " + java.util.Base64.getEncoder().encodeToString("hub-client:client-s3cret".getBytes()));
        assertThat(oms.findAll(getRequestedFor(urlPathEqualTo(prefix + "/business-units/S1/customer-orders/A1"))))
                .allMatch(r -> r.getHeader("Authorization").equals("Bearer token-1"));

        // the OMS stops accepting token-1: one new token, one retry, and the reader never notices
        oms.stubFor(get(urlEqualTo(prefix + "/business-units/S1/customer-orders/A2"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(401)));
        oms.stubFor(get(urlEqualTo(prefix + "/business-units/S1/customer-orders/A2"))
                .withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(okJson(omsOrder("A2", "IN_PROGRESS"))));
        Hub.Answer retried = read("A2");
        assertThat(retried.status()).as("%s", retried).isEqualTo(200);
        assertThat(retried.json().at("/customerOrder/status/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(oms.findAll(postRequestedFor(urlEqualTo(prefix + "/oauth/token"))))
                .hasSize(2);
    }

    @Test
    void oauth2TokenNearItsExpiryIsFetchedAgain() {
        oauth2(admin);
        // lives 61 s: within the 60 s margin after a second, so the next read fetches a new one
        stubToken(prefix, "short-lived", 61, Scenario.STARTED, Scenario.STARTED);
        stubOrder(prefix, "A1", "CREATED");
        assertThat(read("A1").status()).isEqualTo(200);
        Hub.await(Duration.ofSeconds(5), "a second passes", () -> {
            try {
                Thread.sleep(1100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
        assertThat(read("A1").status()).isEqualTo(200);
        assertThat(oms.findAll(postRequestedFor(urlEqualTo(prefix + "/oauth/token"))))
                .hasSize(2);
    }

    @Test
    void aFailingTokenEndpointIs502UpstreamAuthFailed() {
        oauth2(admin);
        oms.stubFor(
                post(urlEqualTo(prefix + "/oauth/token")).willReturn(aResponse().withStatus(500)));
        Hub.Answer answer = read("A1");
        assertProblem(answer, 502, "upstream-auth-failed");
    }

    @Test
    void anUnknownOmsStatusIs502NamingIt() {
        basic(admin, "u", "p");
        stubOrder(prefix, "A1", "ON_HOLD");
        Hub.Answer answer = read("A1");
        assertProblem(answer, 502, "upstream-unknown-status");
        assertThat(answer.json().get("detail").asText()).contains("ON_HOLD");
    }

    @Test
    void searchIsForwardedWithTheCustomerIdAndMapped() {
        basic(admin, "u", "p");
        oms.stubFor(post(urlEqualTo(prefix + "/business-units/S1/customer-orders:search"))
                .willReturn(okJson("{\"customerOrders\": [{\"customerOrderId\": \"A1\", \"customerId\": \"C9\","
                        + " \"status\": \"CREATED\"}, {\"customerOrderId\": \"A2\", \"customerId\": \"C9\","
                        + " \"status\": \"FULFILLED\"}]}")));

        Hub.Answer found =
                hub.send("POST", "/api/v1/business-units/S1/customer-orders:search", store, "{\"customerId\": \"C9\"}");

        assertThat(found.status()).as("%s", found).isEqualTo(200);
        assertThat(found.json().get("customerOrders").findValuesAsText("customerOrderId"))
                .containsExactly("A1", "A2");
        assertThat(found.json().at("/customerOrders/1/status").asText()).isEqualTo("FULFILLED");
        assertThat(found.json().at("/page/total").asInt()).isEqualTo(2);
        LoggedRequest sent = oms.findAll(
                        postRequestedFor(urlEqualTo(prefix + "/business-units/S1/customer-orders:search")))
                .get(0);
        assertThat(sent.getBodyAsString()).isEqualTo("{\"customerId\":\"C9\"}");

        Hub.Answer unsupported = hub.send(
                "POST", "/api/v1/business-units/S1/customer-orders:search", store, "{\"status\": [\"CREATED\"]}");
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.json().get("errors").findValuesAsText("pointer")).contains("/status");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void everyOmsFailureHasItsProblemAnswer() {
        basic(admin, "u", "p");
        String base = prefix + "/business-units/S1/customer-orders/";
        oms.stubFor(get(urlEqualTo(base + "missing")).willReturn(aResponse().withStatus(404)));
        oms.stubFor(get(urlEqualTo(base + "refused")).willReturn(aResponse().withStatus(422)));
        oms.stubFor(get(urlEqualTo(base + "broken")).willReturn(aResponse().withStatus(503)));
        oms.stubFor(get(urlEqualTo(base + "garbage"))
                .willReturn(aResponse().withStatus(200).withBody("<html>oops</html>")));
        oms.stubFor(get(urlEqualTo(base + "reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        oms.stubFor(get(urlEqualTo(base + "slow"))
                .willReturn(okJson(omsOrder("slow", "CREATED")).withFixedDelay(3000)));

        // failures spaced by answers that are not failures, so this tenant's breaker (open at half of the last 4
        // calls failed) stays closed throughout; the breaker has its own test below
        assertProblem(read("missing"), 404, "not-found");
        assertProblem(read("refused"), 502, "upstream-rejected");
        assertProblem(read("slow"), 504, "upstream-timeout");
        assertProblem(read("garbage"), 502, "upstream-unreadable");
        assertProblem(read("missing"), 404, "not-found");
        assertProblem(read("missing"), 404, "not-found");
        assertProblem(read("broken"), 502, "upstream-failed");
        for (int i = 0; i < 3; i++) {
            assertProblem(read("missing"), 404, "not-found");
        }
        assertProblem(read("reset"), 502, "upstream-failed");
    }

    @Test
    void aFailingOmsOpensItsTenantsCircuitAndNotFoundsDoNotCount() {
        basic(admin, "u", "p");
        String base = prefix + "/business-units/S1/customer-orders/";
        oms.stubFor(get(urlEqualTo(base + "missing")).willReturn(aResponse().withStatus(404)));
        for (int i = 0; i < 10; i++) {
            assertThat(read("missing").status()).isEqualTo(404);
        }
        oms.stubFor(get(urlEqualTo(base + "broken")).willReturn(aResponse().withStatus(500)));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(read("broken").status());
        }
        assertThat(statuses).startsWith(502).contains(503);
        int callsWhileOpen =
                oms.findAll(getRequestedFor(urlEqualTo(base + "broken"))).size();
        Hub.Answer open = read("broken");
        assertProblem(open, 503, "upstream-unavailable");
        assertThat(open.header("Retry-After")).isNotBlank();
        assertThat(oms.findAll(getRequestedFor(urlEqualTo(base + "broken")))).hasSize(callsWhileOpen);
    }

    @Test
    void writesAreRefusedInProxyMode() {
        String id = Hub.uniqueId("O");
        Hub.Answer put =
                hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, omsKey, OrderDocs.put(id, "S1"));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Content-Type")).startsWith("application/problem+json");
        Hub.Answer create =
                hub.send("POST", "/api/v1/business-units/S1/customer-orders", store, OrderDocs.put(id, "S1"));
        assertThat(create.status()).isEqualTo(405);
        Hub.Answer deliver = hub.send(
                "POST", "/api/v1/business-units/S1/customer-orders/" + id + "/fulfillments/F1:deliver", store, null);
        assertThat(deliver.status()).isEqualTo(405);
    }

    // ---------------------------------------------------------------- isolation

    @Test
    void aHangingOmsOfOneTenantDoesNotSlowAnotherTenant() throws Exception {
        basic(admin, "u", "p");
        oms.stubFor(get(urlPathEqualTo(prefix + "/business-units/S1/customer-orders/hang"))
                .willReturn(okJson(omsOrder("hang", "CREATED")).withFixedDelay(5000)));
        String other = Hub.uniqueTenant("proxy-b");
        String otherAdmin = hub.newTenantKey(other, "[\"admin\"]", null);
        String otherStore = hub.newTenantKey(other, "[\"store\"]", "[\"S1\"]");
        proxyMode(other, "/" + other);
        basic(otherAdmin, "u", "p");
        stubOrder("/" + other, "B1", "CREATED");
        // warm tenant B's route so the measurement below is of steady state
        for (int i = 0; i < 5; i++) {
            assertThat(hub.send("GET", "/api/v1/business-units/S1/customer-orders/B1", otherStore, null)
                            .status())
                    .isEqualTo(200);
        }

        ExecutorService flood = Executors.newFixedThreadPool(24);
        List<Future<Integer>> floodAnswers = new ArrayList<>();
        try {
            for (int i = 0; i < 48; i++) {
                floodAnswers.add(flood.submit(() -> read("hang").status()));
            }
            Thread.sleep(200); // tenant A's calls are now hanging at its OMS
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Hub.Answer b = hub.send("GET", "/api/v1/business-units/S1/customer-orders/B1", otherStore, null);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(b.status()).isEqualTo(200);
            }
            millis.sort(null);
            // generous: a normal proxied read takes milliseconds; a read stuck behind tenant A would take seconds
            assertThat(millis.get(millis.size() - 1))
                    .as("slowest of tenant B's reads while A hangs (ms), all: %s", millis)
                    .isLessThan(1000);
            List<Integer> aStatuses = new ArrayList<>();
            for (Future<Integer> f : floodAnswers) {
                aStatuses.add(f.get());
            }
            assertThat(aStatuses)
                    .as("tenant A: timeouts, then a full bulkhead or open circuit")
                    .containsOnly(503, 504);
            // each tenant's calls ran on its own bounded pool, not on threads shared with the other tenant
            java.util.concurrent.ThreadPoolExecutor aPool = camel.getRegistry()
                    .lookupByNameAndType("omsCallExecutor-" + tenant, java.util.concurrent.ThreadPoolExecutor.class);
            java.util.concurrent.ThreadPoolExecutor bPool = camel.getRegistry()
                    .lookupByNameAndType("omsCallExecutor-" + other, java.util.concurrent.ThreadPoolExecutor.class);
            assertThat(aPool).as("tenant A's OMS call pool").isNotNull();
            assertThat(bPool).as("tenant B's OMS call pool").isNotNull();
            assertThat(aPool).as("one pool per tenant").isNotSameAs(bPool);
            // a task counts as completed just after its answer was handed back: wait for the count to settle
            Hub.await(
                    Duration.ofSeconds(5),
                    "tenant B's 25 calls counted on its pool",
                    () -> bPool.getCompletedTaskCount() >= 25);
            assertThat(bPool.getCompletedTaskCount())
                    .as("tenant B's calls, all on its own pool")
                    .isEqualTo(25);
            assertThat(aPool.getCompletedTaskCount()
                            + aPool.getActiveCount()
                            + aPool.getQueue().size())
                    .as("tenant A's calls, on its own pool")
                    .isPositive();
        } finally {
            flood.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- configuration and secrets

    @Test
    void secretsAreNeverShownStoredInClearOrLogged() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            oauth2(admin);
            stubToken(prefix, "token-abc", 3600, Scenario.STARTED, Scenario.STARTED);
            stubOrder(prefix, "A1", "CREATED");
            assertThat(read("A1").status()).isEqualTo(200);

            Hub.Answer shown = hub.send("GET", "/api/v1/proxy-config", admin, null);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.json().at("/config/clientSecret").asText()).isEqualTo("***");
            assertThat(shown.json().at("/config/clientId").asText()).isEqualTo("hub-client");
            assertThat(shown.json().get("proxyBaseUrl").asText()).isEqualTo(omsBase() + prefix);
            assertThat(shown.body()).doesNotContain("client-s3cret");

            String stored =
                    db.queryForObject("SELECT sealed FROM proxy_config WHERE tenant_id = ?", String.class, tenant);
            assertThat(stored).doesNotContain("client-s3cret").doesNotContain("hub-client");
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list)
                .as("log lines")
                .noneMatch(e -> e.getFormattedMessage().contains("client-s3cret")
                        || e.getFormattedMessage().contains("token-abc"));
    }

    @Test
    void badProxyConfigurationIs400AndThePreviousOneStaysInForce() {
        basic(admin, "first-user", "first-password");
        String[][] cases = {
            {"{\"type\": \"digest\", \"config\": {}}", "/type"},
            {"{\"type\": \"basic\", \"config\": {\"username\": \"u\"}}", "/config/password"},
            {"{\"type\": \"oauth2\", \"config\": {\"clientId\": \"c\", \"clientSecret\": \"s\"}}", "/config/authUrl"},
            {
                "{\"type\": \"oauth2\", \"config\": {\"clientId\": \"c\", \"clientSecret\": \"s\", \"authUrl\": \"ftp://x.example.com/t\"}}",
                "/config/authUrl"
            },
            {
                "{\"type\": \"oauth2\", \"config\": {\"clientId\": \"c\", \"clientSecret\": \"s\", \"authUrl\": \"https://10.1.2.3/t\"}}",
                "/config/authUrl"
            },
            {
                "{\"type\": \"oauth2\", \"config\": {\"clientId\": \"c\", \"clientSecret\": \"s\", \"authUrl\": \"http://169.254.169.254/latest\"}}",
                "/config/authUrl"
            },
            {"{\"type\": \"basic\"}", "/config"},
            {
                "{\"type\": \"basic\", \"config\": {\"username\": \"u\", \"password\": \"p\", \"realm\": \"x\"}}",
                "/config/realm"
            },
        };
        for (String[] c : cases) {
            Hub.Answer refused = hub.send("PUT", "/api/v1/proxy-config", admin, c[0]);
            assertThat(refused.status()).as("%s -> %s", c[0], refused).isEqualTo(400);
            assertThat(refused.json().get("errors").findValuesAsText("pointer"))
                    .as(c[0])
                    .contains(c[1]);
        }
        assertThat(hub.send("PUT", "/api/v1/proxy-config", admin, "{not json").status())
                .isEqualTo(400);
        JsonNode still = hub.send("GET", "/api/v1/proxy-config", admin, null).json();
        assertThat(still.get("type").asText()).isEqualTo("basic");
        assertThat(still.at("/config/username").asText()).isEqualTo("first-user");

        for (String url : List.of(
                "http://127.0.0.2/oms", "http://[::1]/oms", "http://169.254.169.254/", "https://192.168.1.10")) {
            Hub.Answer refused = hub.send(
                    "PUT",
                    "/admin/v1/tenants/" + tenant,
                    Hub.ADMIN_TOKEN,
                    "{\"mode\": \"proxy\", \"proxyBaseUrl\": \"" + url + "\"}");
            assertThat(refused.status()).as("%s -> %s", url, refused).isEqualTo(400);
            assertThat(refused.json().get("errors").findValuesAsText("pointer")).contains("/proxyBaseUrl");
        }
        Hub.Answer tenantNow = hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null);
        assertThat(tenantNow.json().get("proxyBaseUrl").asText()).isEqualTo(omsBase() + prefix);
        // only an admin may configure the proxy
        assertThat(hub.send("GET", "/api/v1/proxy-config", store, null).status())
                .isEqualTo(403);
    }

    @Test
    void migratingTenantsReadStoredOrdersFromTheStoreAndOthersFromTheOms() {
        basic(admin, "u", "p");
        Hub.Answer mode = hub.send(
                "PUT",
                "/admin/v1/tenants/" + tenant,
                Hub.ADMIN_TOKEN,
                "{\"mode\": \"migrating\", \"proxyBaseUrl\": \"" + omsBase() + prefix + "\"}");
        assertThat(mode.status()).isEqualTo(200);
        String id = Hub.uniqueId("M");
        assertThat(hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, omsKey, OrderDocs.put(id, "S1"))
                        .status())
                .isEqualTo(202);
        Hub.await(
                Duration.ofSeconds(20),
                "pushed order stored",
                () -> db.queryForObject(
                                "SELECT count(*) FROM customer_order WHERE tenant_id = ? AND customer_order_id = ?",
                                Integer.class,
                                tenant,
                                id)
                        == 1);
        stubOrder(prefix, "OLD1", "FULFILLED");

        Hub.Answer stored = read(id);
        assertThat(stored.json().at("/customerOrder/cartName").asText())
                .as("from the store")
                .isEqualTo("v1");
        Hub.Answer fromOms = read("OLD1");
        assertThat(fromOms.status()).isEqualTo(200);
        assertThat(fromOms.json().at("/customerOrder/status/status").asText()).isEqualTo("FULFILLED");
        assertThat(oms.findAll(getRequestedFor(urlPathEqualTo(prefix + "/business-units/S1/customer-orders/" + id))))
                .isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private void proxyMode(String tenantId, String path) {
        Hub.Answer t = hub.send(
                "PUT",
                "/admin/v1/tenants/" + tenantId,
                Hub.ADMIN_TOKEN,
                "{\"mode\": \"proxy\", \"proxyBaseUrl\": \"" + omsBase() + path + "\", \"defaultCurrency\": \"SEK\"}");
        assertThat(t.status()).as("%s", t).isEqualTo(200);
    }

    private void basic(String adminKey, String user, String password) {
        Hub.Answer a = hub.send(
                "PUT",
                "/api/v1/proxy-config",
                adminKey,
                "{\"type\": \"basic\", \"config\": {\"username\": \"" + user + "\", \"password\": \"" + password
                        + "\"}}");
        assertThat(a.status()).as("%s", a).isEqualTo(204);
    }

    private void oauth2(String adminKey) {
        Hub.Answer a = hub.send(
                "PUT",
                "/api/v1/proxy-config",
                adminKey,
                "{\"type\": \"oauth2\", \"config\": {\"clientId\": \"hub-client\", \"clientSecret\": \"client-s3cret\","
                        + " \"authUrl\": \"" + omsBase() + prefix + "/oauth/token\", \"scope\": \"orders.read\"}}");
        assertThat(a.status()).as("%s", a).isEqualTo(204);
    }

    private void stubToken(String path, String token, int expiresIn, String state, String next) {
        oms.stubFor(post(urlEqualTo(path + "/oauth/token"))
                .inScenario("token " + path)
                .whenScenarioStateIs(state)
                .withHeader("Content-Type", matching("application/x-www-form-urlencoded.*"))
                .willReturn(okJson("{\"access_token\": \"" + token + "\", \"token_type\": \"Bearer\", \"expires_in\": "
                        + expiresIn + "}"))
                .willSetStateTo(next));
    }

    private void stubOrder(String path, String id, String status) {
        oms.stubFor(get(urlEqualTo(path + "/business-units/S1/customer-orders/" + id))
                .willReturn(okJson(omsOrder(id, status)).withHeader("X-Oms-Internal", "secret-route")));
    }

    private static String omsOrder(String id, String status) {
        return "{\"customerOrder\": {\"customerOrderId\": \"" + id + "\", \"customerId\": \"C9\", \"status\": \""
                + status
                + "\", \"minimumDownPaymentAmount\": 0, \"isLocked\": false, \"invoicePaymentInstructions\":"
                + " {\"customerAccountId\": \"\", \"invoicingAmount\": 0, \"additionalInformation\": []},"
                + " \"items\": [{\"itemId\": \"I1\", \"quantityOrdered\": 2, \"unitPrice\": 9.95},"
                + " {\"itemId\": \"I2\", \"quantityOrdered\": 1, \"unitPrice\": 120}]}}";
    }

    /** The OMS by address: the SSRF guard refuses the name localhost even where 127.0.0.1 is allowed. */
    private static String omsBase() {
        return "http://127.0.0.1:" + oms.port();
    }

    private Hub.Answer read(String id) {
        return hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, store, null);
    }

    private static void assertProblem(Hub.Answer answer, int status, String kind) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").asText()).isEqualTo("urn:orderhub:problem:" + kind);
    }
}
