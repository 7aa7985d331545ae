package io.orderhub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The retention sweep removes what is older than its retention and keeps everything younger. */
@HubTest
class RetentionTest {

    @Autowired
    JdbcTemplate db;

    @Autowired
    Retention retention;

    @Test
    void sweepRemovesOnlyWhatOutlivedItsRetention() {
        String tenant = Hub.uniqueTenant("retention");
        db.update(
                "INSERT INTO idempotency_key (tenant_id, scope, idempotency_key, request_hash, response_status, "
                        + "response_body, created_at) VALUES (?, 's', 'old', 'h', 202, '{}', now() - interval '2 days')",
                tenant);
        db.update(
                "INSERT INTO idempotency_key (tenant_id, scope, idempotency_key, request_hash, response_status, "
                        + "response_body) VALUES (?, 's', 'young', 'h', 202, '{}')",
                tenant);
        db.update(
                "INSERT INTO processed_event (processor_name, event_id, created_at) VALUES ('order-event-apply', ?, "
                        + "now() - interval '40 days')",
                tenant + "-old");
        db.update(
                "INSERT INTO processed_event (processor_name, event_id) VALUES ('order-event-apply', ?)",
                tenant + "-young");
        db.update(
                "INSERT INTO order_history (tenant_id, customer_order_id, kind, payload, at) VALUES (?, 'O1', 'EVENT', "
                        + "'{\"old\":true}', now() - interval '31 days')",
                tenant);
        db.update(
                "INSERT INTO order_history (tenant_id, customer_order_id, kind, payload) VALUES (?, 'O2', 'EVENT', "
                        + "'{\"young\":true}')",
                tenant);

        assertThat(retention.sweep()).isGreaterThanOrEqualTo(3);

        assertThat(db.queryForList(
                        "SELECT idempotency_key FROM idempotency_key WHERE tenant_id = ?", String.class, tenant))
                .containsExactly("young");
        assertThat(db.queryForList(
                        "SELECT event_id FROM processed_event WHERE event_id LIKE ?", String.class, tenant + "%"))
                .containsExactly(tenant + "-young");
        assertThat(db.queryForList(
                        "SELECT customer_order_id FROM order_history WHERE tenant_id = ? AND payload IS NOT NULL",
                        String.class,
                        tenant))
                .as("the old entry keeps its outcome but loses its payload")
                .containsExactly("O2");
        assertThat(db.queryForObject("SELECT count(*) FROM order_history WHERE tenant_id = ?", Long.class, tenant))
                .isEqualTo(2);
    }
}
