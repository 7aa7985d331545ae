package io.orderhub.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.HubProperties;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The alert channel (outbound.md "Alerts"): an alert is a row written once per incident and kind (a unique key), in
 * the transaction of what caused it; the {@code alert-dispatch} route posts pending ones to {@code hub.alerts.webhook-url},
 * rate limited, retried. Alerts carry ids, kinds and error text, never customer data.
 */
@Component("alerts")
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NamedParameterJdbcTemplate jdbc;
    private final HubProperties.Alerts settings;
    private final Deque<Long> sentTimes = new ArrayDeque<>();

    public Alerts(NamedParameterJdbcTemplate jdbc, HubProperties hub) {
        this.jdbc = jdbc;
        this.settings = hub.alerts();
    }

    /** One alert. {@code incidentKey} identifies the incident: the same kind and key never alert twice. */
    public record Alert(
            String kind,
            String incidentKey,
            String severity,
            String tenantId,
            String customerOrderId,
            String message,
            String correlationId,
            Map<String, Object> details) {}

    /** Records the alert unless this incident already has one; joins the caller's transaction. */
    public void raise(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        body.put("severity", alert.severity());
        body.put("kind", alert.kind());
        body.put("tenantId", alert.tenantId());
        if (alert.customerOrderId() != null) {
            body.put("customerOrderId", alert.customerOrderId());
        }
        body.put("message", alert.message());
        if (alert.correlationId() != null) {
            body.put("correlationId", alert.correlationId());
        }
        body.set("details", JSON.valueToTree(alert.details()));
        body.put(
                "text",
                "[" + alert.severity() + "] " + alert.kind() + " (tenant " + alert.tenantId()
                        + (alert.customerOrderId() == null ? "" : ", order " + alert.customerOrderId()) + "): "
                        + alert.message());
        int inserted = jdbc.update(
                """
                INSERT INTO alert (kind, incident_key, severity, tenant_id, body)
                VALUES (:kind, :key, :severity, :tenant, :body)
                ON CONFLICT (kind, incident_key) DO NOTHING
                """,
                new MapSqlParameterSource()
                        .addValue("kind", alert.kind())
                        .addValue("key", alert.incidentKey())
                        .addValue("severity", alert.severity())
                        .addValue("tenant", alert.tenantId())
                        .addValue("body", body.toString()));
        if (inserted == 1) {
            log.warn("Alert {} for {}: {}", alert.kind(), alert.incidentKey(), alert.message());
        }
    }

    /** A pending alert to send: its id and JSON body. */
    public record Pending(long id, String body, int attempts) {}

    /**
     * Pending alerts that are due, no more than the rate limit allows this minute; none when no channel is set.
     */
    public synchronized List<Pending> due() {
        if (!enabled()) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        while (!sentTimes.isEmpty() && sentTimes.peekFirst() < now - 60_000) {
            sentTimes.pollFirst();
        }
        int room = settings.maxPerMinute() - sentTimes.size();
        if (room <= 0) {
            return List.of();
        }
        // claimed with a lease, so two hub instances never post the same alert at once
        List<Pending> due = jdbc.query(
                """
                UPDATE alert SET next_attempt_at = now() + interval '1 minute'
                WHERE id IN (SELECT id FROM alert WHERE sent_at IS NULL AND next_attempt_at <= now()
                             ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED)
                RETURNING id, body, attempts
                """,
                new MapSqlParameterSource("n", room),
                (rs, n) -> new Pending(rs.getLong("id"), rs.getString("body"), rs.getInt("attempts")));
        due.forEach(p -> sentTimes.addLast(now));
        return due;
    }

    /** Makes the split's exchange the POST of one pending alert. */
    public void prepare(Exchange exchange) {
        Pending p = exchange.getIn().getBody(Pending.class);
        exchange.setProperty("alert", p);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setBody(p.body());
    }

    public boolean enabled() {
        return settings.webhookUrl() != null && !settings.webhookUrl().isBlank();
    }

    /** The channel's URL, for the route's {@code toD}. */
    public String target() {
        return settings.webhookUrl();
    }

    public void sent(Exchange exchange) {
        Pending p = exchange.getProperty("alert", Pending.class);
        jdbc.update(
                "UPDATE alert SET sent_at = now(), attempts = attempts + 1 WHERE id = :id",
                new MapSqlParameterSource("id", p.id()));
    }

    /** Schedules the next attempt after a failed send; gives up (logged) after the last of {@code hub.alerts.retry}. */
    public void failed(Exchange exchange) {
        Pending p = exchange.getProperty("alert", Pending.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<Duration> retry = settings.retry();
        int attempts = p.attempts() + 1;
        String message = error == null ? "unknown" : String.valueOf(error.getMessage());
        if (attempts > retry.size()) {
            // at least once: past the schedule the alert keeps trying at the last delay, and says so
            log.error("Alert {} not delivered after {} attempts, still trying: {}", p.id(), attempts, message);
        }
        OffsetDateTime next = OffsetDateTime.now(ZoneOffset.UTC).plus(retry.get(Math.min(attempts, retry.size()) - 1));
        jdbc.update(
                "UPDATE alert SET attempts = :a, last_error = :e, next_attempt_at = :next WHERE id = :id",
                new MapSqlParameterSource("id", p.id())
                        .addValue("a", attempts)
                        .addValue("e", message)
                        .addValue("next", next));
    }
}
