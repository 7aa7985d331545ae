package io.orderhub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.HubProperties;
import io.orderhub.orders.Fulfillments;
import io.orderhub.tenants.Tenant;
import io.orderhub.tenants.TenantRepository;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Issues POSLogs (outbound.md "POSLog") in the transaction of the change that caused them: one per store deliver that
 * moved quantities, one per warehouse fulfilment seen becoming FULFILLED, and each POSLog a POS submits. Each has a
 * transaction id derived from its cause and is stored before it is published, so the same cause never issues twice
 * (a redelivered event, a retried operation, a resubmitted POSLog).
 */
@Component
public class PosLogs {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PosLogs.class);
    static final String FINALIZATION_FAILED = "FINALIZATION_FAILED";

    private final NamedParameterJdbcTemplate jdbc;
    private final Outbox outbox;
    private final TenantRepository tenants;
    private final String workstationId;
    private final io.orderhub.ops.Alerts alerts;
    private final java.time.Duration retryInterval;
    private final org.springframework.transaction.support.TransactionTemplate savepoint;
    private final org.springframework.transaction.support.TransactionTemplate ownTransaction;

    public PosLogs(
            NamedParameterJdbcTemplate jdbc,
            Outbox outbox,
            TenantRepository tenants,
            HubProperties hub,
            io.orderhub.ops.Alerts alerts,
            org.springframework.transaction.PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.tenants = tenants;
        this.workstationId = hub.poslog().workstationId();
        this.alerts = alerts;
        this.retryInterval = hub.poslog().retryInterval();
        // a POSLog that cannot be built must not undo the delivery that caused it: it runs in a savepoint
        this.savepoint = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
        this.ownTransaction = new org.springframework.transaction.support.TransactionTemplate(transactions);
    }

    /** What caused a POSLog: the order and fulfilment, what was handed out, and its stable identity. */
    private record Cause(
            String tenantId,
            String cause,
            JsonNode order,
            JsonNode fulfilment,
            List<Handout> handouts,
            String source,
            String origin,
            String correlationId,
            Instant at) {}

    /** What a store handed out in one deliver: line id and quantity. */
    public record Handout(String lineItemId, BigDecimal quantity) {}

    /**
     * A store deliver that moved quantities. The cause is the fulfilment's picked quantities after the deliver: a
     * deliver repeated with the same Idempotency-Key is answered from its first answer and never gets here twice.
     */
    public void storeDelivery(
            String tenantId,
            JsonNode order,
            JsonNode fulfilment,
            List<Handout> handouts,
            String correlationId,
            Instant at) {
        StringBuilder cause = new StringBuilder("store-delivery|")
                .append(order.path("customerOrderId").asText())
                .append('|')
                .append(fulfilment.path("fulfillmentId").asText());
        for (JsonNode line : fulfilment.path("lineItems")) {
            cause.append('|')
                    .append(line.path("lineItemId").asText())
                    .append('=')
                    .append(Fulfillments.picked(line).stripTrailingZeros().toPlainString());
        }
        guarded(new Cause(
                tenantId, cause.toString(), order, fulfilment, handouts, "STORE_DELIVERY", "STORE", correlationId, at));
    }

    /**
     * Warehouse fulfilments an applied OMS snapshot made FULFILLED that were stored in another status before (domain.md
     * "Warehouse deliveries and returns"); an order first seen already fulfilled issues none.
     */
    public void warehouseFulfilled(String tenantId, JsonNode before, JsonNode after, String correlationId, Instant at) {
        if (before == null) {
            return;
        }
        for (JsonNode f : after.path("fulfillments")) {
            if (!"HOME_DELIVERY_FROM_WAREHOUSE"
                            .equals(f.path("fulfillmentMethod").asText())
                    || !Fulfillments.FULFILLED.equals(Fulfillments.status(f))) {
                continue;
            }
            String fid = f.path("fulfillmentId").asText();
            JsonNode was = Fulfillments.byId(before, fid).orElse(null);
            if (was == null || Fulfillments.FULFILLED.equals(Fulfillments.status(was))) {
                continue;
            }
            List<Handout> lines = new ArrayList<>();
            for (JsonNode line : f.path("lineItems")) {
                if (Fulfillments.CANCELLED.equals(Fulfillments.status(line))) {
                    continue;
                }
                BigDecimal q =
                        Fulfillments.picked(line).signum() > 0 ? Fulfillments.picked(line) : Fulfillments.ordered(line);
                if (q.signum() > 0) {
                    lines.add(new Handout(line.path("lineItemId").asText(), q));
                }
            }
            if (!lines.isEmpty()) {
                // one POSLog per warehouse fulfilment, ever: its cause does not depend on what else changed
                guarded(new Cause(
                        tenantId,
                        "warehouse-fulfilled|" + after.path("customerOrderId").asText() + "|" + fid,
                        after,
                        f,
                        lines,
                        "WAREHOUSE",
                        "OMS",
                        correlationId,
                        at));
            }
        }
    }

    /**
     * A POSLog a POS submitted, relayed as it is (api.md {@code POST .../poslogs}); false when the same transaction
     * (business unit, workstation, sequence number) was relayed before.
     */
    public boolean relay(String tenantId, PosLogSubmission.Identity identity, byte[] xml, String correlationId) {
        UUID transactionId = UUID.nameUUIDFromBytes((tenantId + "|pos|" + identity.businessUnitId() + "|"
                        + identity.workstationId() + "|" + identity.sequenceNumber())
                .getBytes(StandardCharsets.UTF_8));
        String text = new String(xml, StandardCharsets.UTF_8);
        LocalDate day = PosLogXml.businessDay(
                identity.endDateTime() != null ? identity.endDateTime() : Instant.now(), zone(tenantId));
        int stored = jdbc.update(
                """
                INSERT INTO poslog (tenant_id, transaction_id, business_unit_id, workstation_id, sequence_number, source,
                    business_day, xml)
                VALUES (:t, :id, :bu, :ws, :seq, 'POS', :day, :xml)
                ON CONFLICT (tenant_id, transaction_id) DO NOTHING
                """,
                new MapSqlParameterSource("t", tenantId)
                        .addValue("id", transactionId)
                        .addValue("bu", identity.businessUnitId())
                        .addValue("ws", identity.workstationId())
                        .addValue("seq", identity.sequenceNumber())
                        .addValue("day", day)
                        .addValue("xml", text));
        if (stored == 0) {
            return false;
        }
        outbox.posLog(
                tenantId,
                null,
                identity.businessUnitId(),
                Set.of(identity.businessUnitId()),
                "STORE",
                correlationId,
                Base64.getEncoder().encodeToString(PosLogXml.deflate(text)),
                day);
        return true;
    }

    /**
     * Issues the POSLog in a savepoint; if it cannot be built or stored, the change that caused it still stands: the
     * order is flagged FINALIZATION_FAILED (history and search flags), a POSLOG_FAILED alert is raised, and the POSLog
     * is retried by {@link #retryDue()} until it is issued.
     */
    private void guarded(Cause c) {
        try {
            savepoint.executeWithoutResult(tx -> issue(c));
        } catch (RuntimeException e) {
            String orderId = c.order().path("customerOrderId").asText();
            String fid = c.fulfilment().path("fulfillmentId").asText();
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.warn("POSLog for order {}/{} fulfilment {} failed: {}", c.tenantId(), orderId, fid, error);
            StringBuilder json = new StringBuilder("[");
            for (Handout h : c.handouts()) {
                json.append(json.length() > 1 ? "," : "")
                        .append("{\"lineItemId\":")
                        .append(io.orderhub.orders.OrderJson.write(io.orderhub.orders.OrderJson.MAPPER
                                .getNodeFactory()
                                .textNode(h.lineItemId())))
                        .append(",\"quantity\":")
                        .append(h.quantity().toPlainString())
                        .append('}');
            }
            json.append(']');
            jdbc.update(
                    """
                    INSERT INTO poslog_pending (tenant_id, customer_order_id, fulfillment_id, source, cause, handouts,
                        origin, correlation_id, happened_at, next_attempt_at, last_error)
                    VALUES (:t, :o, :f, :source, :cause, :handouts, :origin, :cid, :at,
                        now() + make_interval(secs => :delay), :error)
                    ON CONFLICT (tenant_id, cause) DO NOTHING
                    """,
                    new MapSqlParameterSource("t", c.tenantId())
                            .addValue("o", orderId)
                            .addValue("f", fid)
                            .addValue("source", c.source())
                            .addValue("cause", c.cause())
                            .addValue("handouts", json.toString())
                            .addValue("origin", c.origin())
                            .addValue("cid", c.correlationId())
                            .addValue("at", java.sql.Timestamp.from(c.at()))
                            .addValue("error", error)
                            .addValue("delay", retryInterval.toMillis() / 1000.0));
            flag(c.tenantId(), orderId, true);
            jdbc.update(
                    """
                    INSERT INTO order_history (tenant_id, customer_order_id, kind, outcome, origin, actor, correlation_id,
                        detail)
                    VALUES (:t, :o, 'POSLOG', 'FAILED', 'HUB', 'hub', :cid, :detail)
                    """,
                    new MapSqlParameterSource("t", c.tenantId())
                            .addValue("o", orderId)
                            .addValue("cid", c.correlationId())
                            .addValue(
                                    "detail",
                                    "the POSLog of fulfilment " + fid + " could not be issued (" + error
                                            + "); FINALIZATION_FAILED, retried"));
            alerts.raise(new io.orderhub.ops.Alerts.Alert(
                    "POSLOG_FAILED",
                    c.tenantId() + "/" + c.cause(),
                    "error",
                    c.tenantId(),
                    orderId,
                    "the POSLog of fulfilment " + fid + " could not be issued: " + error + "; it is retried",
                    c.correlationId(),
                    Map.of("fulfillmentId", fid, "source", c.source())));
        }
    }

    /** Retries the POSLogs that could not be issued (routes/poslog-retry), each in its own transaction. */
    public void retryDue() {
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT * FROM poslog_pending WHERE next_attempt_at <= now() ORDER BY id LIMIT 20",
                new MapSqlParameterSource());
        for (Map<String, Object> row : due) {
            try {
                ownTransaction.executeWithoutResult(tx -> retry(row));
            } catch (RuntimeException e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                jdbc.update(
                        """
                        UPDATE poslog_pending SET attempts = attempts + 1, last_error = :error,
                            next_attempt_at = now() + make_interval(secs => least(3600, :delay * power(2, attempts)))
                        WHERE id = :id
                        """,
                        new MapSqlParameterSource("id", row.get("id"))
                                .addValue("error", error)
                                .addValue("delay", retryInterval.toMillis() / 1000.0));
                log.warn("POSLog retry {} failed again: {}", row.get("id"), error);
            }
        }
    }

    private void retry(Map<String, Object> row) {
        String tenantId = (String) row.get("tenant_id");
        String orderId = (String) row.get("customer_order_id");
        // this row, held until the retry commits: two instances never issue it twice
        Long held = jdbc
                .query(
                        "SELECT id FROM poslog_pending WHERE id = :id FOR UPDATE SKIP LOCKED",
                        new MapSqlParameterSource("id", row.get("id")),
                        (rs, n) -> rs.getLong(1))
                .stream()
                .findFirst()
                .orElse(null);
        if (held == null) {
            return;
        }
        String document = jdbc.queryForObject(
                "SELECT document FROM customer_order WHERE tenant_id = :t AND customer_order_id = :o FOR UPDATE",
                new MapSqlParameterSource("t", tenantId).addValue("o", orderId),
                String.class);
        JsonNode order = io.orderhub.orders.OrderJson.parse(document).path("customerOrder");
        JsonNode fulfilment = Fulfillments.byId(order, (String) row.get("fulfillment_id"))
                .orElseThrow(() -> new IllegalStateException("the fulfilment is no longer in the order"));
        List<Handout> handouts = new ArrayList<>();
        for (JsonNode h : io.orderhub.orders.OrderJson.parse((String) row.get("handouts"))) {
            handouts.add(new Handout(
                    h.path("lineItemId").asText(), h.path("quantity").decimalValue()));
        }
        issue(new Cause(
                tenantId,
                (String) row.get("cause"),
                order,
                fulfilment,
                handouts,
                (String) row.get("source"),
                (String) row.get("origin"),
                (String) row.get("correlation_id"),
                ((java.sql.Timestamp) row.get("happened_at")).toInstant()));
        jdbc.update("DELETE FROM poslog_pending WHERE id = :id", new MapSqlParameterSource("id", row.get("id")));
        boolean more = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM poslog_pending WHERE tenant_id = :t AND customer_order_id = :o)",
                new MapSqlParameterSource("t", tenantId).addValue("o", orderId),
                Boolean.class));
        if (!more) {
            flag(tenantId, orderId, false);
        }
        log.info("POSLog of order {}/{} issued on retry", tenantId, orderId);
    }

    private void flag(String tenantId, String orderId, boolean set) {
        jdbc.update(
                set
                        ? "UPDATE customer_order SET flags = array_append(flags, :flag) WHERE tenant_id = :t "
                                + "AND customer_order_id = :o AND NOT (:flag = ANY (flags))"
                        : "UPDATE customer_order SET flags = array_remove(flags, :flag) WHERE tenant_id = :t "
                                + "AND customer_order_id = :o",
                new MapSqlParameterSource("t", tenantId).addValue("o", orderId).addValue("flag", FINALIZATION_FAILED));
    }

    private void issue(Cause c) {
        String tenantId = c.tenantId();
        String cause = c.cause();
        JsonNode order = c.order();
        JsonNode fulfilment = c.fulfilment();
        List<Handout> handouts = c.handouts();
        String source = c.source();
        String origin = c.origin();
        String correlationId = c.correlationId();
        Instant at = c.at();
        UUID transactionId = UUID.nameUUIDFromBytes((tenantId + "|" + cause).getBytes(StandardCharsets.UTF_8));
        String orderId = order.path("customerOrderId").asText();
        String bu = fulfilment.path("fulfillmentBusinessUnitId").isTextual()
                ? fulfilment.get("fulfillmentBusinessUnitId").asText()
                : order.path("businessUnitId").asText();
        boolean known = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM poslog WHERE tenant_id = :t AND transaction_id = :id)",
                new MapSqlParameterSource("t", tenantId).addValue("id", transactionId),
                Boolean.class));
        if (known) {
            return; // issued before for this very cause
        }
        long sequence = jdbc.queryForObject(
                """
                INSERT INTO poslog_sequence (tenant_id, business_unit_id, workstation_id, last_value)
                VALUES (:t, :bu, :ws, 1)
                ON CONFLICT (tenant_id, business_unit_id, workstation_id)
                    DO UPDATE SET last_value = poslog_sequence.last_value + 1
                RETURNING last_value
                """,
                new MapSqlParameterSource("t", tenantId).addValue("bu", bu).addValue("ws", workstationId),
                Long.class);
        List<PosLogXml.Line> lines = new ArrayList<>();
        for (Handout h : handouts) {
            JsonNode item = item(order, h.lineItemId());
            JsonNode line = Fulfillments.lineById(fulfilment, h.lineItemId()).orElseThrow();
            List<BigDecimal> discounts = new ArrayList<>();
            for (JsonNode d : item.path("unitDiscounts")) {
                if (d.path("discountAmount").isNumber()) {
                    discounts.add(d.path("discountAmount").decimalValue());
                }
            }
            lines.add(new PosLogXml.Line(
                    h.lineItemId(),
                    line.path("itemId").asText(item.path("itemId").asText()),
                    h.quantity(),
                    item.path("unitPrice").isNumber() ? item.path("unitPrice").decimalValue() : BigDecimal.ZERO,
                    discounts));
        }
        String xml = PosLogXml.xml(new PosLogXml.Transaction(
                bu,
                workstationId,
                sequence,
                transactionId.toString(),
                at,
                at,
                order.path("currencyId").asText("EUR"),
                orderId,
                fulfilment.path("fulfillmentId").asText(),
                lines));
        LocalDate day = PosLogXml.businessDay(at, zone(tenantId));
        jdbc.update(
                """
                INSERT INTO poslog (tenant_id, transaction_id, business_unit_id, workstation_id, sequence_number,
                    customer_order_id, fulfillment_id, source, business_day, xml)
                VALUES (:t, :id, :bu, :ws, :seq, :o, :f, :source, :day, :xml)
                """,
                new MapSqlParameterSource(Map.of(
                                "t", tenantId,
                                "id", transactionId,
                                "bu", bu,
                                "ws", workstationId,
                                "seq", sequence,
                                "o", orderId,
                                "f", fulfilment.path("fulfillmentId").asText(),
                                "source", source,
                                "xml", xml))
                        .addValue("day", day));
        Set<String> businessUnits = new LinkedHashSet<>();
        businessUnits.add(order.path("businessUnitId").asText());
        businessUnits.add(bu);
        outbox.posLog(
                tenantId,
                orderId,
                order.path("businessUnitId").asText(),
                businessUnits,
                origin,
                correlationId,
                Base64.getEncoder().encodeToString(PosLogXml.deflate(xml)),
                day);
    }

    private static JsonNode item(JsonNode order, String lineItemId) {
        for (JsonNode item : order.path("items")) {
            if (lineItemId.equals(item.path("lineItemId").asText())) {
                return item;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private ZoneId zone(String tenantId) {
        return tenants.find(tenantId).map(Tenant::timeZone).map(ZoneId::of).orElse(ZoneId.of("UTC"));
    }
}
