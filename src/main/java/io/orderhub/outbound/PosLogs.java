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

    private final NamedParameterJdbcTemplate jdbc;
    private final Outbox outbox;
    private final TenantRepository tenants;
    private final String workstationId;

    public PosLogs(NamedParameterJdbcTemplate jdbc, Outbox outbox, TenantRepository tenants, HubProperties hub) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.tenants = tenants;
        this.workstationId = hub.poslog().workstationId();
    }

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
        issue(tenantId, cause.toString(), order, fulfilment, handouts, "STORE_DELIVERY", "STORE", correlationId, at);
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
                issue(
                        tenantId,
                        "warehouse-fulfilled|" + after.path("customerOrderId").asText() + "|" + fid,
                        after,
                        f,
                        lines,
                        "WAREHOUSE",
                        "OMS",
                        correlationId,
                        at);
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

    private void issue(
            String tenantId,
            String cause,
            JsonNode order,
            JsonNode fulfilment,
            List<Handout> handouts,
            String source,
            String origin,
            String correlationId,
            Instant at) {
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
