package io.orderhub.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Watches the delivery journal (routes/webhook-health-check): raises {@code DELIVERY_AGING} when a delivery has been
 * pending longer than {@code hub.alerts.max-delivery-age} (once per incident: the oldest aging delivery of a
 * subscription), and refreshes the per-subscription gauges of pending deliveries and the age of the oldest.
 */
@Component("webhookHealth")
public class WebhookHealth {

    private final NamedParameterJdbcTemplate jdbc;
    private final Alerts alerts;
    private final Duration maxAge;
    private final MultiGauge pending;
    private final MultiGauge oldestAge;

    public WebhookHealth(NamedParameterJdbcTemplate jdbc, Alerts alerts, HubProperties hub, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.maxAge = hub.alerts().maxDeliveryAge();
        this.pending = MultiGauge.builder("orderhub.webhook.deliveries.pending")
                .description("deliveries waiting to be delivered, per subscription")
                .register(registry);
        this.oldestAge = MultiGauge.builder("orderhub.webhook.deliveries.oldest.age")
                .description("age of the oldest pending delivery, per subscription")
                .baseUnit("seconds")
                .register(registry);
    }

    private record Backlog(String tenantId, String webhookId, long pending, double oldestSeconds, long oldestId) {}

    public void check() {
        List<Backlog> backlogs = jdbc.query(
                """
                SELECT tenant_id, webhook_id, count(*) AS pending,
                       extract(epoch FROM now() - min(created_at)) AS oldest,
                       min(delivery_id) AS oldest_id
                FROM webhook_delivery WHERE status = 'PENDING'
                GROUP BY tenant_id, webhook_id
                """,
                new MapSqlParameterSource(),
                (rs, n) -> new Backlog(
                        rs.getString("tenant_id"),
                        rs.getString("webhook_id"),
                        rs.getLong("pending"),
                        rs.getDouble("oldest"),
                        rs.getLong("oldest_id")));
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (Backlog b : backlogs) {
            Tags tags = Tags.of("tenant", b.tenantId(), "webhook", b.webhookId());
            pendingRows.add(MultiGauge.Row.of(tags, b.pending()));
            ageRows.add(MultiGauge.Row.of(tags, b.oldestSeconds()));
            if (b.oldestSeconds() > maxAge.toSeconds()) {
                alerts.raise(new Alerts.Alert(
                        "DELIVERY_AGING",
                        b.tenantId() + "/" + b.webhookId() + "/" + b.oldestId(),
                        "warning",
                        b.tenantId(),
                        null,
                        "webhook " + b.webhookId() + " has " + b.pending() + " pending deliveries; the oldest ("
                                + b.oldestId() + ") has waited " + Math.round(b.oldestSeconds()) + " s",
                        null,
                        Map.of(
                                "webhookId", b.webhookId(),
                                "pending", b.pending(),
                                "oldestDeliveryId", Long.toString(b.oldestId()))));
            }
        }
        // overwrite: a subscription with nothing pending any more drops out of the gauges
        pending.register(pendingRows, true);
        oldestAge.register(ageRows, true);
    }
}
