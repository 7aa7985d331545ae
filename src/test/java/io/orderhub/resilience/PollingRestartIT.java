package io.orderhub.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.support.Hub;
import io.orderhub.support.HubProcess;
import io.orderhub.support.OrderDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A polling tenant's cursor lives in PostgreSQL: a restarted hub goes on from where the last complete poll ended. */
class PollingRestartIT {

    @Test
    void theCursorOfTheLastCompletePollSurvivesARestart() throws Exception {
        WireMockServer oms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        oms.start();
        Path data = Files.createTempDirectory(Path.of("target"), "polling-restart-");
        List<String> args = List.of(
                "--hub.data-dir=" + data,
                "--hub.proxy.private-target-allow-list=127.0.0.1/32",
                "--hub.polling.tick-millis=200");
        String tenant = Hub.uniqueTenant("poll-restart");
        String order = Hub.uniqueId("R");
        try {
            oms.stubFor(get(urlPathEqualTo("/oms/customer-orders"))
                    .withQueryParam("cursor", absent())
                    .willReturn(okJson("{\"customerOrders\": [" + OrderDocs.put(order, "S1") + "],"
                            + " \"cursor\": \"after-first-poll\"}")));
            oms.stubFor(get(urlPathEqualTo("/oms/customer-orders"))
                    .withQueryParam("cursor", equalTo("after-first-poll"))
                    .willReturn(okJson("{\"customerOrders\": [], \"cursor\": \"after-second-poll\"}")));

            try (HubProcess first = HubProcess.of("polling-restart-1", args)) {
                first.start();
                Hub hub = first.client();
                String admin = hub.newTenantKey(tenant, "[\"admin\"]", null);
                assertThat(hub.send(
                                        "PUT",
                                        "/api/v1/proxy-config",
                                        admin,
                                        "{\"type\": \"basic\", \"config\": {\"username\": \"u\", \"password\": \"p\"}}")
                                .status())
                        .isEqualTo(204);
                assertThat(hub.send(
                                        "PUT",
                                        "/admin/v1/tenants/" + tenant,
                                        Hub.ADMIN_TOKEN,
                                        "{\"mode\": \"polling\", \"proxyBaseUrl\": \"http://127.0.0.1:" + oms.port()
                                                + "/oms\", \"polling\": {\"interval\": \"PT1H\"}}")
                                .status())
                        .isEqualTo(200);
                Hub.await(Duration.ofSeconds(30), "the first poll completes", () -> "after-first-poll"
                        .equals(hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null)
                                .json()
                                .at("/pollState/cursor")
                                .asText()));
                first.terminate();
            }

            try (HubProcess second = HubProcess.of("polling-restart-2", args)) {
                second.start();
                Hub hub = second.client();
                Hub.Answer poll = hub.send("POST", "/admin/v1/tenants/" + tenant + ":poll-now", Hub.ADMIN_TOKEN, null);
                assertThat(poll.status()).as("%s", poll).isEqualTo(200);
                assertThat(poll.json().get("cursor").asText()).isEqualTo("after-second-poll");
                List<LoggedRequest> polls = oms.findAll(getRequestedFor(urlPathEqualTo("/oms/customer-orders")));
                assertThat(polls.get(polls.size() - 1).queryParameter("cursor").firstValue())
                        .as("the restarted hub asks from the stored cursor, not from the beginning")
                        .isEqualTo("after-first-poll");
                assertThat(polls.stream()
                                .filter(r -> !r.queryParameter("cursor").isPresent()))
                        .as("only the very first poll read from the beginning")
                        .hasSize(1);
            }
        } finally {
            oms.stop();
        }
    }
}
