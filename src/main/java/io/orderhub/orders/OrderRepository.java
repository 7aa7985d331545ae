package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.storage.Timestamps;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/** Orders and their fulfilment rows in PostgreSQL. */
@Repository
public class OrderRepository {

    private final NamedParameterJdbcTemplate jdbc;

    public OrderRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredOrder> find(String tenantId, String customerOrderId) {
        return jdbc
                .query(
                        "SELECT * FROM customer_order WHERE tenant_id = :t AND customer_order_id = :o",
                        new MapSqlParameterSource("t", tenantId).addValue("o", customerOrderId),
                        OrderRepository::map)
                .stream()
                .findFirst();
    }

    /** The business unit a stored order was placed at (a light read for the accept path). */
    public Optional<String> placedAt(String tenantId, String customerOrderId) {
        return jdbc
                .queryForList(
                        "SELECT business_unit_id FROM customer_order WHERE tenant_id = :t AND customer_order_id = :o",
                        new MapSqlParameterSource("t", tenantId).addValue("o", customerOrderId),
                        String.class)
                .stream()
                .findFirst();
    }

    /** The order if it is visible to business unit {@code bu} (domain.md "Identity and visibility"). */
    public Optional<StoredOrder> findVisible(String tenantId, String customerOrderId, String bu) {
        return jdbc
                .query(
                        """
                        SELECT o.* FROM customer_order o
                        WHERE o.tenant_id = :t AND o.customer_order_id = :o
                          AND (o.business_unit_id = :bu OR EXISTS (
                                SELECT 1 FROM order_fulfillment f
                                WHERE f.tenant_id = o.tenant_id AND f.customer_order_id = o.customer_order_id
                                  AND (f.fulfillment_business_unit_id = :bu OR f.status = 'FULFILLED')))
                        """,
                        new MapSqlParameterSource("t", tenantId)
                                .addValue("o", customerOrderId)
                                .addValue("bu", bu),
                        OrderRepository::map)
                .stream()
                .findFirst();
    }

    /** Writes the order's new document and the columns derived from it; {@code changed} moves its change time. */
    public void save(StoredOrder order, JsonNode customerOrder, boolean changed) {
        save(order, customerOrder, null, changed);
    }

    /** As {@link #save(StoredOrder, JsonNode, boolean)}, knowing the document before, to skip unchanged rows. */
    public void save(StoredOrder order, JsonNode customerOrder, JsonNode before, boolean changed) {
        SqlParameterSource p = new MapSqlParameterSource()
                .addValue("t", order.tenantId())
                .addValue("o", order.customerOrderId())
                .addValue("bu", order.businessUnitId())
                .addValue("doc", order.document())
                .addValue("status", customerOrder.path("status").path("status").asText())
                .addValue("customerId", text(customerOrder.path("customer").path("customerId")))
                .addValue("customerName", text(customerOrder.path("customer").path("name")))
                .addValue("origin", order.origin())
                .addValue("seq", order.appliedSeq())
                .addValue("omsTime", order.omsSnapshotTime())
                .addValue("changed", changed)
                .addValue(
                        "keys",
                        OrderSearchRepository.SearchKeys.of(order.tenantId(), order.businessUnitId(), customerOrder));
        jdbc.update(
                """
                INSERT INTO customer_order (tenant_id, customer_order_id, business_unit_id, document, status, customer_id,
                    customer_name, origin, applied_seq, oms_snapshot_time, search_keys)
                VALUES (:t, :o, :bu, :doc, :status, :customerId, :customerName, :origin, :seq, :omsTime, :keys)
                ON CONFLICT (tenant_id, customer_order_id) DO UPDATE SET
                    document = EXCLUDED.document, search_keys = EXCLUDED.search_keys, status = EXCLUDED.status,
                    customer_id = EXCLUDED.customer_id,
                    customer_name = EXCLUDED.customer_name, applied_seq = EXCLUDED.applied_seq,
                    oms_snapshot_time = EXCLUDED.oms_snapshot_time,
                    changed_at = CASE WHEN :changed THEN now() ELSE customer_order.changed_at END
                """,
                p);
        if (changed) {
            saveFulfillments(order.tenantId(), order.customerOrderId(), customerOrder, before);
        }
    }

    private void saveFulfillments(String tenantId, String orderId, JsonNode customerOrder, JsonNode before) {
        List<Map<String, Object>> rows = fulfillmentRows(customerOrder);
        if (before != null && rows.equals(fulfillmentRows(before))) {
            // most OMS updates leave the searchable fulfilment fields alone: no need to rewrite the rows
            return;
        }
        MapSqlParameterSource key = new MapSqlParameterSource("t", tenantId).addValue("o", orderId);
        jdbc.update("DELETE FROM order_fulfillment WHERE tenant_id = :t AND customer_order_id = :o", key);
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(
                    """
                    INSERT INTO order_fulfillment (tenant_id, customer_order_id, fulfillment_id, fulfillment_method,
                        fulfillment_business_unit_id, status, order_code, email, phone)
                    VALUES (:t, :o, :fid, :method, :fbu, :status, :code, :email, :phone)
                    """,
                    rows.stream()
                            .map(r -> new MapSqlParameterSource(r)
                                    .addValue("t", tenantId)
                                    .addValue("o", orderId))
                            .toArray(SqlParameterSource[]::new));
        }
    }

    /** The searchable fields of each fulfilment, as the order_fulfillment rows hold them. */
    private static List<Map<String, Object>> fulfillmentRows(JsonNode customerOrder) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (JsonNode f : customerOrder.path("fulfillments")) {
            JsonNode address = f.path("deliveryAddress");
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("fid", f.path("fulfillmentId").asText());
            row.put("method", f.path("fulfillmentMethod").asText());
            row.put("fbu", text(f.path("fulfillmentBusinessUnitId")));
            row.put("status", f.path("status").path("status").asText());
            row.put("code", text(f.path("orderCode")));
            row.put("email", normalised(address.path("email")));
            row.put("phone", normalised(address.path("daytimePhoneNumber")));
            rows.add(row);
        }
        return rows;
    }

    /** Search matches email and phone after trimming and lower-casing (api.md "Search"). */
    static String normalised(JsonNode node) {
        String s = text(node);
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    /** A string field for a search column; PostgreSQL text cannot hold NUL, which JSON strings may carry. */
    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText().replace("\u0000", "") : null;
    }

    private static StoredOrder map(ResultSet rs, int n) throws SQLException {
        Array flags = rs.getArray("flags");
        return new StoredOrder(
                rs.getString("tenant_id"),
                rs.getString("customer_order_id"),
                rs.getString("business_unit_id"),
                rs.getString("document"),
                rs.getString("origin"),
                (Long) rs.getObject("applied_seq"),
                Timestamps.utc(rs.getTimestamp("oms_snapshot_time")),
                flags == null ? List.of() : Arrays.asList((String[]) flags.getArray()),
                Timestamps.utc(rs.getTimestamp("changed_at")));
    }
}
