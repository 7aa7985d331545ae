package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What probes, Prometheus, tools and the ops login may each see and do on the operations endpoints (runtime.md and
 * api.md "Operations"), over real HTTP: health, metrics, Hawtio, and Jolokia with its access policy.
 */
@HubTest
class OpsEndpointsTest {

    private static final String OPS_USER = "ops";
    private static final Map<String, String> AS_OPS = Map.of(
            "Authorization",
            "Basic "
                    + Base64.getEncoder()
                            .encodeToString((OPS_USER + ":" + Hub.OPS_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    private static final Map<String, String> AS_BROWSER = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    private static final String JOLOKIA = "/actuator/jolokia";

    @LocalServerPort
    int port;

    Hub hub;

    @BeforeEach
    void setUp() {
        hub = new Hub(port);
    }

    // ------------------------------------------------------------------ health

    @Test
    void healthAndProbesAreOpenWithTheBareStatusOnly() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            Hub.Answer a = hub.send("GET", path, null, null);
            assertThat(a.status()).as("anonymous GET %s: %s", path, a).isIn(200, 503);
            JsonNode health = a.json();
            assertThat(health.path("status").asText()).as("status of %s", a).isNotEmpty();
            // Spring Boot also names the probe groups on the root; no component and no detail is shown
            assertThat(fieldNames(health))
                    .as("fields of anonymous %s: %s", path, a)
                    .isSubsetOf("status", "groups");
        }
        Hub.Answer liveness = hub.send("GET", "/actuator/health/liveness", null, null);
        assertThat(liveness.json().path("status").asText())
                .as("liveness %s", liveness)
                .isEqualTo("UP");
    }

    @Test
    void healthShowsTheDatabaseAndTheBusToTheOpsLogin() {
        Hub.Answer a = hub.send("GET", "/actuator/health", null, null, AS_OPS);
        assertThat(a.status()).as("GET /actuator/health as ops: %s", a).isIn(200, 503);
        JsonNode components = a.json().path("components");
        assertThat(components.path("db").path("status").asText())
                .as("db in %s", a)
                .isEqualTo("UP");
        assertThat(components.path("bus").path("status").asText())
                .as("bus in %s", a)
                .isEqualTo("UP");
        assertThat(components.path("bus").path("details").path("bus").asText())
                .as("bus kind in %s", a)
                .isEqualTo("postgres");
    }

    @Test
    void healthDetailsAreShownToTheScrapeTokenToo() {
        Hub.Answer a = hub.send("GET", "/actuator/health", Hub.SCRAPE_TOKEN, null);
        assertThat(a.status())
                .as("GET /actuator/health with the scrape token: %s", a)
                .isIn(200, 503);
        assertThat(a.json().path("components").path("db").path("status").asText())
                .as("db in %s", a)
                .isEqualTo("UP");
    }

    @Test
    void readinessIsUpAndMadeOfTheDatabaseAndTheBus() {
        Hub.Answer a = hub.send("GET", "/actuator/health/readiness", null, null, AS_OPS);
        assertThat(a.status()).as("GET readiness as ops: %s", a).isEqualTo(200);
        assertThat(a.json().path("status").asText()).as("readiness %s", a).isEqualTo("UP");
        assertThat(fieldNames(a.json().path("components")))
                .as("readiness members in %s", a)
                .containsExactlyInAnyOrder("readinessState", "db", "bus");
    }

    @Test
    void oneHealthComponentNeedsTheOpsLogin() {
        Hub.Answer a = hub.send("GET", "/actuator/health/db", null, null);
        assertThat(a.status()).as("anonymous GET /actuator/health/db: %s", a).isEqualTo(401);
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void prometheusTakesTheOpsLoginOrTheScrapeTokenAndNobodyElse() {
        Hub.Answer anonymous = hub.send("GET", "/actuator/prometheus", null, null);
        assertThat(anonymous.status()).as("anonymous scrape: %s", anonymous).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate"))
                .as("challenge of %s", anonymous)
                .startsWith("Basic");

        Hub.Answer wrongToken = hub.send("GET", "/actuator/prometheus", "not-the-scrape-token", null);
        assertThat(wrongToken.status())
                .as("scrape with a wrong token: %s", wrongToken)
                .isEqualTo(401);

        Hub.Answer ops = hub.send("GET", "/actuator/prometheus", null, null, AS_OPS);
        assertThat(ops.status()).as("scrape as ops: %s", ops.status()).isEqualTo(200);

        Hub.Answer scraper = hub.send("GET", "/actuator/prometheus", Hub.SCRAPE_TOKEN, null);
        assertThat(scraper.status())
                .as("scrape with the scrape token: %s", scraper.status())
                .isEqualTo(200);
    }

    @Test
    void prometheusShowsTheHubsMetricsAndCamelRouteMetrics() {
        String key = hub.newTenantKey(Hub.uniqueTenant("ops-metrics"), "[\"oms\"]", null);
        String id = Hub.uniqueId("O");
        String path = "/api/v1/business-units/S1/customer-orders/" + id;
        Hub.Answer put = hub.send("PUT", path, key, OrderDocs.put(id, "S1"));
        assertThat(put.status()).as("PUT %s: %s", id, put).isEqualTo(202);

        Hub.Answer scrape = hub.send("GET", "/actuator/prometheus", Hub.SCRAPE_TOKEN, null);
        assertThat(scrape.status()).as("scrape: %s", scrape.status()).isEqualTo(200);
        List<String> samples =
                scrape.body().lines().filter(l -> !l.startsWith("#")).toList();
        for (String metric : List.of(
                "orderhub_events_accepted_total",
                "orderhub_events_applied_total{",
                "orderhub_events_pending",
                "orderhub_events_oldest_age_seconds",
                "orderhub_dead_letters_open",
                "orderhub_dead_letters_total")) {
            assertThat(samples).as("a sample of %s in the scrape", metric).anyMatch(l -> l.startsWith(metric));
        }
        assertThat(samples)
                .as("Camel route metrics of oms-order-put in the scrape")
                .anyMatch(l -> l.startsWith("camel_exchanges") && l.contains("routeId=\"oms-order-put\""));
    }

    // ------------------------------------------------------------------ Hawtio and who gets in

    @Test
    void hawtioSendsABrowserToTheLoginFormAndAToolA401() {
        Hub.Answer browser = hub.send("GET", "/actuator/hawtio/", null, null, AS_BROWSER);
        assertThat(browser.status())
                .as("anonymous browser at Hawtio: %s", browser)
                .isEqualTo(302);
        assertThat(browser.header("Location")).as("redirect of %s", browser).endsWith("/login");

        Hub.Answer tool = hub.send("GET", "/actuator/hawtio/", null, null);
        assertThat(tool.status()).as("anonymous tool at Hawtio: %s", tool).isEqualTo(401);
    }

    @Test
    void hawtioOpensForTheOpsLogin() {
        Hub.Answer a = hub.send("GET", "/actuator/hawtio/", null, null, AS_OPS);
        assertThat(a.status()).as("Hawtio as ops: %s", a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).as("content type of Hawtio's page").startsWith("text/html");
        assertThat(a.body()).as("Hawtio's page").containsIgnoringCase("hawtio");
    }

    @Test
    void jolokiaNeedsTheOpsLogin() {
        Hub.Answer a = hub.send("GET", JOLOKIA + "/version", null, null);
        assertThat(a.status()).as("anonymous Jolokia: %s", a).isEqualTo(401);
    }

    @Test
    void scrapeTokenOpensNeitherJolokiaNorHawtio() {
        for (String path : List.of(JOLOKIA + "/version", "/actuator/hawtio/", "/actuator/hawtio/jolokia/version")) {
            Hub.Answer a = hub.send("GET", path, Hub.SCRAPE_TOKEN, null);
            assertThat(a.status())
                    .as("GET %s with the scrape token: %s", path, a)
                    .isIn(401, 403);
            assertThat(a.body()).as("GET %s with the scrape token", path).doesNotContain("\"agent\"");
        }
        Hub.Answer post = hub.send("POST", JOLOKIA, Hub.SCRAPE_TOKEN, "{\"type\":\"version\"}");
        assertThat(post.status())
                .as("POST Jolokia with the scrape token: %s", post)
                .isIn(401, 403);
    }

    @Test
    void unknownOperationsPathNeedsTheOpsLogin() {
        Hub.Answer a = hub.send("GET", "/no-such-page", null, null);
        assertThat(a.status()).as("anonymous unknown path: %s", a).isEqualTo(401);
    }

    // ------------------------------------------------------------------ Jolokia and its access policy

    @Test
    void jolokiaReadsRouteStatisticsForTheOpsLogin() {
        String route = mbean("org.apache.camel:type=routes,name=\"oms-order-put\",*");
        // the GET form a curl user types; Jolokia takes the quotes of the ObjectName percent-encoded
        String read = JOLOKIA + "/read/" + route.replace("\"", "%22") + "/ExchangesTotal";
        Hub.Answer a = hub.send("GET", read, null, null, AS_OPS);
        assertThat(a.status()).as("Jolokia GET read: %s", a).isEqualTo(200);
        assertThat(a.json().path("status").asInt())
                .as("Jolokia status of %s", a)
                .isEqualTo(200);
        assertThat(a.json().path("value").isNumber())
                .as("ExchangesTotal in %s", a)
                .isTrue();
    }

    @Test
    void jolokiaRunsTheRouteOperationsOpsNeed() {
        String route = mbean("org.apache.camel:type=routes,name=\"oms-order-put\",*");
        JsonNode dump = jolokia(exec(route, "dumpRouteStatsAsXml(boolean,boolean)", false, false));
        assertThat(dump.path("status").asInt())
                .as("route statistics dump: %s", dump)
                .isEqualTo(200);
        assertThat(dump.path("value").asText()).as("route statistics dump").contains("oms-order-put");
    }

    @Test
    void jolokiaDeniesSendingAMessageThroughTheCamelContext() {
        String context = mbean("org.apache.camel:type=context,*");
        // an endpoint nobody consumes: should the policy ever let this through, the send fails instead of acting
        JsonNode sent = jolokia(
                exec(context, "sendBody(java.lang.String,java.lang.Object)", "direct:ops-policy-probe", "hello"));
        assertDeniedByPolicy(sent);
        JsonNode requested = jolokia(
                exec(context, "requestBody(java.lang.String,java.lang.Object)", "direct:ops-policy-probe", "hello"));
        assertDeniedByPolicy(requested);
    }

    @Test
    void jolokiaDeniesRouteOperationsOpsDoNotNeed() {
        String route = mbean("org.apache.camel:type=routes,name=\"oms-order-put\",*");
        // a started route cannot be removed anyway, so a broken policy fails this test without harm
        assertDeniedByPolicy(jolokia(exec(route, "remove()")));
        assertDeniedByPolicy(jolokia(exec(route, "updateRouteFromXml(java.lang.String)", "<route/>")));
    }

    @Test
    void jolokiaDeniesJmxWrites() {
        String route = mbean("org.apache.camel:type=routes,name=\"oms-order-put\",*");
        ObjectNode write = Hub.JSON
                .createObjectNode()
                .put("type", "write")
                .put("mbean", route)
                .put("attribute", "Tracing")
                .put("value", false);
        assertDeniedByPolicy(jolokia(write));
    }

    @Test
    void browserSessionReachesJolokiaOnlyWithTheXsrfToken() {
        Session browser = new Session();
        Hub.Answer form = browser.send("GET", "/login", null, AS_BROWSER);
        assertThat(form.status()).as("login form: %s", form).isEqualTo(200);
        Hub.Answer login = browser.send(
                "POST",
                "/login",
                "username=" + OPS_USER + "&password=" + encode(Hub.OPS_PASSWORD) + "&_csrf="
                        + encode(hiddenField(form.body(), "_csrf")),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(login.status()).as("login: %s", login).isEqualTo(302);
        assertThat(login.header("Location")).as("after login").doesNotContain("error");
        Hub.Answer page = browser.send("GET", "/actuator/hawtio/", null, AS_BROWSER);
        assertThat(page.status()).as("Hawtio after login: %s", page.status()).isEqualTo(200);
        String xsrf = browser.cookie("XSRF-TOKEN");
        assertThat(xsrf).as("the XSRF-TOKEN cookie Hawtio's scripts send back").isNotBlank();

        String version = "{\"type\":\"version\"}";
        Map<String, String> json = Map.of("Content-Type", "application/json");
        // what a forged cross-site request looks like: the session cookie but no token
        Hub.Answer forgedPost = browser.send("POST", "/actuator/hawtio/jolokia", version, json);
        assertThat(forgedPost.status())
                .as("session POST without the token: %s", forgedPost)
                .isEqualTo(403);
        Hub.Answer forgedGet = browser.send("GET", JOLOKIA + "/version", null, Map.of());
        assertThat(forgedGet.status())
                .as("session GET without the token: %s", forgedGet)
                .isEqualTo(403);

        Map<String, String> withToken = Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", xsrf);
        Hub.Answer hawtioCall = browser.send("POST", "/actuator/hawtio/jolokia", version, withToken);
        assertThat(hawtioCall.status())
                .as("session POST with the token: %s", hawtioCall)
                .isEqualTo(200);
        assertThat(hawtioCall.json().path("value").path("agent").asText())
                .as("Jolokia version in %s", hawtioCall)
                .isNotEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** The one MBean matching {@code pattern}, found with a Jolokia search as the ops login. */
    private String mbean(String pattern) {
        JsonNode found =
                jolokia(Hub.JSON.createObjectNode().put("type", "search").put("mbean", pattern));
        assertThat(found.path("status").asInt())
                .as("search %s: %s", pattern, found)
                .isEqualTo(200);
        assertThat(found.path("value").size())
                .as("MBeans matching %s: %s", pattern, found)
                .isEqualTo(1);
        return found.path("value").get(0).asText();
    }

    private static ObjectNode exec(String mbean, String operation, Object... arguments) {
        ObjectNode request = Hub.JSON
                .createObjectNode()
                .put("type", "exec")
                .put("mbean", mbean)
                .put("operation", operation);
        request.set("arguments", Hub.JSON.valueToTree(arguments));
        return request;
    }

    /** A Jolokia POST as a tool sends it: HTTP basic with the ops login, no session, no CSRF token. */
    private JsonNode jolokia(JsonNode request) {
        Hub.Answer a = hub.send("POST", JOLOKIA, null, request.toString(), AS_OPS);
        assertThat(a.status()).as("Jolokia %s: %s", request, a).isEqualTo(200);
        return a.json();
    }

    /** Jolokia answers a policy denial with HTTP 200 and its own status 403, naming the refused operation. */
    private static void assertDeniedByPolicy(JsonNode answer) {
        assertThat(answer.path("status").asInt())
                .as("Jolokia status of %s", answer)
                .isEqualTo(403);
        assertThat(answer.path("error").asText())
                .as("Jolokia error of %s", answer)
                .containsIgnoringCase("forbidden");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String hiddenField(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" type=\"hidden\" value=\"([^\"]*)\"")
                .matcher(html);
        assertThat(m.find())
                .as("hidden field %s in the login form: %s", name, html)
                .isTrue();
        return m.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A browser's cookies, kept by hand so the test sees exactly what the hub sets and clears. */
    private final class Session {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Hub.Answer send(String method, String path, String body, Map<String, String> headers) {
            Map<String, String> all = new HashMap<>(headers);
            if (!cookies.isEmpty()) {
                all.put(
                        "Cookie",
                        cookies.entrySet().stream()
                                .map(c -> c.getKey() + "=" + c.getValue())
                                .collect(Collectors.joining("; ")));
            }
            Hub.Answer a = hub.send(method, path, null, body, all);
            for (String set : a.raw().headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                boolean expired = set.toLowerCase(Locale.ROOT).contains("max-age=0");
                if (value.isEmpty() || expired) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return a;
        }

        String cookie(String name) {
            return cookies.get(name);
        }
    }
}
