package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Refusals of the web layer itself have the hub's problem shape: an unknown path 404, a wrong method 405 with Allow. */
@HubTest
class WebLayerProblemsTest {

    @LocalServerPort
    int port;

    @Test
    void unknownPathIs404ProblemJsonWithCorrelationId() {
        Hub hub = new Hub(port);
        Hub.Answer a = hub.send(
                "GET", "/api/v1/no-such-thing", Hub.BOOTSTRAP_KEY, null, Map.of("Correlation-Id", "corr-unknown-path"));
        assertThat(a.status()).as("%s", a).isEqualTo(404);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.json().get("type").asText()).isEqualTo("urn:orderhub:problem:not-found");
        assertThat(a.json().get("correlationId").asText()).isEqualTo("corr-unknown-path");
        assertThat(a.json().get("instance").asText()).isEqualTo("/api/v1/no-such-thing");
    }

    @Test
    void wrongMethodIs405WithAllowAndProblemJson() {
        Hub hub = new Hub(port);
        Hub.Answer a = hub.send("DELETE", "/api/v1/business-units/S1/customer-orders/O-1", Hub.BOOTSTRAP_KEY, null);
        assertThat(a.status()).as("%s", a).isEqualTo(405);
        assertThat(a.header("Allow")).contains("GET").contains("PUT");
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.json().get("type").asText()).isEqualTo("urn:orderhub:problem:method-not-allowed");
        assertThat(a.json().get("correlationId").asText()).isEqualTo(a.header("Correlation-Id"));
    }
}
