package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** One tenant's backlog (a migration backfill, say) does not hold up another tenant's events. */
@HubTest
class FairnessTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void anotherTenantsBackfillDoesNotHoldUpAnEvent() {
        Hub hub = new Hub(port);
        String busy = Hub.uniqueTenant("backfill");
        String quiet = Hub.uniqueTenant("quiet");
        hub.newTenantKey(busy, "[\"oms\"]", null);
        String quietKey = hub.newTenantKey(quiet, "[\"oms\", \"admin\"]", null);

        // a backfill of 3000 orders lands on the bus at once, ahead of everything else
        String template = OrderDocs.put("BF-TEMPLATE", "S1");
        db.update(
                """
                INSERT INTO bus_event (seq, event_id, tenant_id, customer_order_id, business_unit_id, origin,
                    snapshot_time, payload, correlation_id)
                SELECT nextval('event_seq'), gen_random_uuid(), ?, 'BF-' || n, 'S1', 'OMS', now(),
                       replace(?, 'BF-TEMPLATE', 'BF-' || n), 'backfill'
                FROM generate_series(1, 3000) AS n
                """,
                busy,
                template);

        String id = Hub.uniqueId("Q");
        Hub.Answer put =
                hub.send("PUT", "/api/v1/business-units/S1/customer-orders/" + id, quietKey, OrderDocs.put(id, "S1"));
        assertThat(put.status()).as("%s", put).isEqualTo(202);
        Hub.await(
                Duration.ofSeconds(30),
                "the quiet tenant's order applied",
                () -> hub.send("GET", "/api/v1/business-units/S1/customer-orders/" + id, quietKey, null)
                                .status()
                        == 200);
        long stillWaiting = db.queryForObject("SELECT count(*) FROM bus_event WHERE tenant_id = ?", Long.class, busy);
        assertThat(stillWaiting)
                .as("the quiet tenant's event was applied while the backfill was still being worked off")
                .isGreaterThan(1000);

        Hub.await(
                Duration.ofMinutes(3),
                "backfill drained",
                () -> db.queryForObject("SELECT count(*) FROM bus_event WHERE tenant_id = ?", Long.class, busy) == 0);
    }
}
