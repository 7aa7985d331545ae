package io.orderhub.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The operator API: tenants with their settings, and keys; bad input is refused naming the field and changes nothing. */
@HubTest
class OperatorApiTest {

    @LocalServerPort
    int port;

    @Test
    void tenantIsCreatedThenUpdatedWithItsSettings() {
        Hub hub = new Hub(port);
        String tenant = Hub.uniqueTenant("op");
        Hub.Answer created = hub.send("PUT", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, "{}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().get("mode").asText()).isEqualTo("events");
        assertThat(created.json().get("defaultCurrency").asText()).isEqualTo("EUR");
        assertThat(created.json().get("timeZone").asText()).isEqualTo("UTC");
        Hub.Answer updated = hub.send(
                "PUT",
                "/admin/v1/tenants/" + tenant,
                Hub.ADMIN_TOKEN,
                "{\"mode\": \"migrating\", \"proxyBaseUrl\": \"https://oms.example.com/api\", \"defaultCurrency\": \"SEK\","
                        + " \"timeZone\": \"Europe/Stockholm\"}");
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        JsonNode read = hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null)
                .json();
        assertThat(read.get("mode").asText()).isEqualTo("migrating");
        assertThat(read.get("proxyBaseUrl").asText()).isEqualTo("https://oms.example.com/api");
        assertThat(read.get("timeZone").asText()).isEqualTo("Europe/Stockholm");
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"mode\": \"push\"}|/mode",
                "{\"mood\": \"events\"}|/mood",
                "{\"timeZone\": \"Mars/Olympus\"}|/timeZone",
                "{\"timeZone\": \"+02:00\"}|/timeZone",
                "{\"defaultCurrency\": \"euro\"}|/defaultCurrency",
                "{\"proxyBaseUrl\": \"ftp://oms.example.com\"}|/proxyBaseUrl",
                "{\"proxyBaseUrl\": \"https://oms.example.com/a?b=c\"}|/proxyBaseUrl",
                "{\"mode\": 3}|/mode",
            })
    void badTenantSettingsAreRefusedAndChangeNothing(String body, String pointer) {
        Hub hub = new Hub(port);
        String tenant = Hub.uniqueTenant("op");
        hub.send("PUT", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, "{\"defaultCurrency\": \"NOK\"}");
        Hub.Answer refused = hub.send("PUT", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, body);
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(pointers(refused)).contains(pointer);
        assertThat(hub.send("GET", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, null)
                        .json()
                        .get("defaultCurrency")
                        .asText())
                .isEqualTo("NOK");
    }

    @Test
    void keyWithAnEmptyBusinessUnitListIsRefused() {
        Hub hub = new Hub(port);
        String tenant = Hub.uniqueTenant("op");
        hub.send("PUT", "/admin/v1/tenants/" + tenant, Hub.ADMIN_TOKEN, "{}");
        // an empty list would read as "no restriction": a store key must name its store
        Hub.Answer refused = hub.send(
                "POST",
                "/admin/v1/tenants/" + tenant + "/api-keys",
                Hub.ADMIN_TOKEN,
                "{\"roles\": [\"store\"], \"businessUnits\": []}");
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(pointers(refused)).contains("/businessUnits");
    }

    @Test
    void keyOfAnUnknownTenantIs404() {
        Hub hub = new Hub(port);
        Hub.Answer missing = hub.send(
                "POST",
                "/admin/v1/tenants/" + Hub.uniqueTenant("none") + "/api-keys",
                Hub.ADMIN_TOKEN,
                "{\"roles\": [\"oms\"]}");
        assertThat(missing.status()).as("%s", missing).isEqualTo(404);
    }

    private static List<String> pointers(Hub.Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("errors").forEach(e -> out.add(e.get("pointer").asText()));
        return out;
    }
}
