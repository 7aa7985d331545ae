package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.storage.Timestamps;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The search query of api.md "Search" over stored orders. The WHERE clause is put together from fixed fragments, one
 * per filter present; every value reaches PostgreSQL as a named parameter.
 */
@Repository
public class OrderSearchRepository {

    private static final String COLUMNS =
            "o.customer_order_id, o.business_unit_id, o.customer_id, o.customer_name, o.status, o.changed_at, o.flags";
    // Matches index customer_order_changed (tenant_id, changed_at DESC, customer_order_id): a page can be read off it.
    private static final String ORDER = "ORDER BY o.changed_at DESC, o.customer_order_id";
    /**
     * Up to this many matches (and never more than the count limit, since only an exact count says how many there
     * are) are collected and sorted rather than looked for along changed_at (see search). Sorting
     * 5 000 rows takes milliseconds; more matches than that are at least one order in 200 of a million, so a page is
     * found within a few thousand rows of the walk.
     */
    static final long FEW_MATCHES = 5_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    private final int countLimit;

    @org.springframework.beans.factory.annotation.Autowired
    public OrderSearchRepository(
            NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, io.orderhub.HubProperties hub) {
        this(jdbc, transactions, hub.search().countLimit());
    }

    OrderSearchRepository(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, int countLimit) {
        this.jdbc = jdbc;
        this.countLimit = Math.max(1, countLimit);
        this.snapshot = new TransactionTemplate(transactions);
        // the page and its total come from one snapshot, so total never disagrees with the page
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** A fulfilment of a found order, as the search answer shows it. */
    public record FoundFulfillment(
            String fulfillmentId,
            String fulfillmentMethod,
            String fulfillmentBusinessUnitId,
            String status,
            String orderCode) {}

    /** A found order, as the search answer shows it; {@code changedAt} is when the hub last changed it. */
    public record FoundOrder(
            String customerOrderId,
            String businessUnitId,
            String customerId,
            String customerName,
            String status,
            OffsetDateTime changedAt,
            List<String> flags,
            List<FoundFulfillment> fulfillments) {}

    /**
     * One page of found orders and how many there are in all: exactly when {@code totalExact}, otherwise at least
     * {@code total} and more (the count stopped at hub.search.count-limit).
     */
    public record Page(List<FoundOrder> orders, long total, boolean totalExact) {}

    /** The orders of {@code tenantId} matching {@code criteria}, most recently changed first, then by id. */
    public Page search(String tenantId, OrderSearchCriteria criteria) {
        return search(tenantId, criteria, FEW_MATCHES);
    }

    /**
     * As {@link #search(String, OrderSearchCriteria)}, sorting the matches themselves when there are at most
     * {@code fewMatches} of them (tests pass 0 and {@code Long.MAX_VALUE} to compare both ways of reading a page).
     *
     * <p>The count comes first because it decides how to read the page. Read off customer_order_changed, a page costs
     * the rows walked until it is full: nothing when matches are many, the whole tenant when they are few. PostgreSQL
     * cannot know which from its statistics when filters are correlated (few "ready for pickup" orders also carry the
     * "fulfilled" visibility key): measured 3.5 s for 2 matches among a million orders. Few matches are therefore
     * collected whole (the same index bitmaps the count just used) and sorted: 90 ms there. The total has to be
     * counted anyway, so the count costs nothing extra where it is expensive (many matches).
     */
    Page search(String tenantId, OrderSearchCriteria criteria, long fewMatches) {
        MapSqlParameterSource p = new MapSqlParameterSource("tenant", tenantId)
                .addValue("skip", criteria.skip())
                .addValue("take", criteria.take());
        String where = where(tenantId, criteria, p, "lower(o.customer_name)");
        return snapshot.execute(tx -> {
            // Which plan is right depends on the values (a key dense in one tenant is rare in another): never let a
            // cached generic plan, made without them, decide. Costs a millisecond of planning per query.
            jdbc.getJdbcTemplate().execute("SET LOCAL plan_cache_mode = force_custom_plan");
            // Bitmaps of a few hundred thousand rows stay exact (not lossy, rechecking every row of a page) in 16 MB
            // rather than PostgreSQL's default 4 MB: measured 560 ms -> 150 ms for a count among a million orders.
            jdbc.getJdbcTemplate().execute("SET LOCAL work_mem = '16MB'");
            // A search is a short interactive query, many at once from many stores: parallel workers multiply its CPU
            // on a busy machine. Measured at a million orders, a common name's page 26 ms with two workers, 5 ms
            // without; a broad fragment's count 10-12 ms with them, 7 ms without.
            jdbc.getJdbcTemplate().execute("SET LOCAL max_parallel_workers_per_gather = 0");
            // The count stops after the limit: a count visits every match on the heap, which for a broad name
            // fragment among a million orders took up to seconds. Never below skip + take, so a page is always
            // either within the exact count or known to have more after it.
            long limit = Math.max(countLimit, (long) criteria.skip() + criteria.take());
            p.addValue("countLimit", limit + 1);
            long counted = jdbc.queryForObject(
                    "SELECT count(*) FROM (SELECT 1 FROM customer_order o WHERE " + where + " LIMIT :countLimit) m",
                    p,
                    Long.class);
            boolean exact = counted <= limit;
            long total = exact ? counted : limit;
            List<FoundOrder> orders;
            if (total <= criteria.skip()) {
                orders = List.of();
            } else if (exact && total <= fewMatches) {
                // MATERIALIZED keeps the LIMIT out of the matches' plan, so they are not looked for in changed_at order
                orders = jdbc.query(
                        "WITH matches AS MATERIALIZED (SELECT " + COLUMNS + " FROM customer_order o WHERE " + where
                                + ")" + " SELECT * FROM matches o " + ORDER + " OFFSET :skip LIMIT :take",
                        p,
                        OrderSearchRepository::order);
            } else if (criteria.customerName() != null) {
                // Many matches of a name: walk customer_order_changed, which carries the name (V16), testing it in the
                // index, and read from the heap (self-join on the key) only the orders whose name matches, for the
                // other conditions. Each order rejected by name then costs an index entry instead of a heap row.
                orders = jdbc.query(
                        "SELECT " + COLUMNS + " FROM customer_order n JOIN customer_order o"
                                + " ON o.tenant_id = n.tenant_id AND o.customer_order_id = n.customer_order_id"
                                + " WHERE n.tenant_id = :tenant AND "
                                // `|| ''` keeps the trigram index off this side: estimating a name's matches at
                                // 94 instead of 6,921, PostgreSQL read them all from the heap and sorted them (0.7 s)
                                + where(tenantId, criteria, p, "lower(n.customer_name || '')")
                                + " ORDER BY n.changed_at DESC, n.customer_order_id OFFSET :skip LIMIT :take",
                        p,
                        OrderSearchRepository::order);
            } else {
                orders = jdbc.query(
                        "SELECT " + COLUMNS + " FROM customer_order o WHERE " + where + " " + ORDER
                                + " OFFSET :skip LIMIT :take",
                        p,
                        OrderSearchRepository::order);
            }
            return new Page(withFulfillments(tenantId, orders), total, exact);
        });
    }

    /**
     * The conditions for {@code criteria}, with their values added to {@code p}: on table alias {@code o}, except the
     * customer name, which is tested as expression {@code name} (the lower-cased name of the order, or of the
     * index-only side of a name walk, see search).
     *
     * <p>Every condition has an index to be read from. Visibility and the fulfilment method and status filters are
     * keys of {@code search_keys}, the GIN-indexed array V2__search.sql derives from each stored document (its comment
     * says why: as EXISTS on order_fulfillment they took seconds at a million orders, as keys milliseconds), so
     * PostgreSQL combines them with the other conditions' indexes in bitmaps and estimates them from statistics of
     * the keys themselves. Email, phone and order code are rare values with their own order_fulfillment indexes: an
     * EXISTS on them is planned as a semi-join that finds those few orders first.
     */
    private static String where(String tenantId, OrderSearchCriteria c, MapSqlParameterSource p, String name) {
        List<String> and = new ArrayList<>();
        and.add("o.tenant_id = :tenant");
        // domain.md "Identity and visibility": placed at bu, a fulfilment at bu, or any fulfilment FULFILLED
        List<String> visibleTo =
                List.of(SearchKeys.businessUnit(tenantId, c.businessUnit()), SearchKeys.anyBusinessUnit(tenantId));
        if (c.statuses() != null) {
            // visibility and the status list as one set of keys (V10__search_by_status.sql): one GIN lookup finds
            // exactly the store's orders in those statuses
            List<String> keys = new ArrayList<>();
            visibleTo.forEach(v -> c.statuses().forEach(status -> keys.add(v + "/os/" + status)));
            and.add("o.search_keys && ARRAY[:visibleTo]::text[]");
            p.addValue("visibleTo", keys);
        } else if (c.customerName() != null) {
            // A store sees its own orders and every FULFILLED one (returns anywhere), i.e. most of the tenant: as a
            // bitmap its visibility keys matched 820,917 of a million orders, took 95 of a name count's 110 ms and
            // removed nothing. Next to a name it is therefore checked on the rows the name index finds: the
            // concatenation makes the condition one the GIN index cannot serve, so the planner does not try. The
            // expression has statistics of its own (V17), so the planner still knows how many orders it keeps.
            and.add("(o.search_keys || ARRAY[]::text[]) && ARRAY[:visibleTo]::text[]");
            p.addValue("visibleTo", visibleTo);
        } else {
            and.add("o.search_keys && ARRAY[:visibleTo]::text[]");
            p.addValue("visibleTo", visibleTo);
        }
        if (c.customerId() != null) {
            and.add("o.customer_id = :customerId");
            p.addValue("customerId", c.customerId());
        }

        List<String> fulfillmentKeys =
                SearchKeys.fulfillment(tenantId, c.fulfillmentMethods(), c.fulfillmentStatuses());
        if (!fulfillmentKeys.isEmpty()) {
            and.add("o.search_keys && ARRAY[:fulfillmentKeys]::text[]");
            p.addValue("fulfillmentKeys", fulfillmentKeys);
        }
        if (c.customerName() != null) {
            // lower() on both sides: the same case folding for the column, its trigram index and the value
            and.add(name + " LIKE lower(:customerName) ESCAPE '\\'");
            p.addValue("customerName", "%" + likeLiteral(c.customerName()) + "%");
        }
        if (c.orderCode() != null) {
            and.add(onSomeFulfillment("f.order_code = :orderCode"));
            p.addValue("orderCode", c.orderCode());
        }
        if (c.email() != null) {
            and.add(onSomeFulfillment("f.email = :email"));
            p.addValue("email", c.email());
        }
        if (c.phone() != null) {
            and.add(onSomeFulfillment("f.phone = :phone"));
            p.addValue("phone", c.phone());
        }
        if (c.changedFrom() != null) {
            and.add("o.changed_at >= :changedFrom");
            p.addValue("changedFrom", c.changedFrom());
        }
        if (c.changedTo() != null) {
            // half-open, so consecutive windows [from, to) neither overlap nor leave gaps
            and.add("o.changed_at < :changedTo");
            p.addValue("changedTo", c.changedTo());
        }
        return String.join(" AND ", and);
    }

    private static String onSomeFulfillment(String condition) {
        return "EXISTS (SELECT 1 FROM order_fulfillment f WHERE f.tenant_id = o.tenant_id"
                + " AND f.customer_order_id = o.customer_order_id AND " + condition + ")";
    }

    /** {@code text} matched literally by LIKE: its wildcards and the escape character escaped. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private List<FoundOrder> withFulfillments(String tenantId, List<FoundOrder> orders) {
        if (orders.isEmpty()) {
            return orders;
        }
        Map<String, List<FoundFulfillment>> byOrder = new LinkedHashMap<>();
        orders.forEach(o -> byOrder.put(o.customerOrderId(), new ArrayList<>()));
        jdbc.query(
                """
                SELECT customer_order_id, fulfillment_id, fulfillment_method, fulfillment_business_unit_id, status, order_code
                FROM order_fulfillment
                WHERE tenant_id = :tenant AND customer_order_id IN (:ids)
                ORDER BY customer_order_id, fulfillment_id
                """,
                new MapSqlParameterSource("tenant", tenantId).addValue("ids", byOrder.keySet()),
                rs -> {
                    byOrder.get(rs.getString("customer_order_id"))
                            .add(new FoundFulfillment(
                                    rs.getString("fulfillment_id"),
                                    rs.getString("fulfillment_method"),
                                    rs.getString("fulfillment_business_unit_id"),
                                    rs.getString("status"),
                                    rs.getString("order_code")));
                });
        return orders.stream()
                .map(o -> new FoundOrder(
                        o.customerOrderId(),
                        o.businessUnitId(),
                        o.customerId(),
                        o.customerName(),
                        o.status(),
                        o.changedAt(),
                        o.flags(),
                        List.copyOf(byOrder.get(o.customerOrderId()))))
                .toList();
    }

    private static FoundOrder order(ResultSet rs, int n) throws SQLException {
        Array flags = rs.getArray("flags");
        return new FoundOrder(
                rs.getString("customer_order_id"),
                rs.getString("business_unit_id"),
                rs.getString("customer_id"),
                rs.getString("customer_name"),
                rs.getString("status"),
                Timestamps.utc(rs.getTimestamp("changed_at")),
                flags == null ? List.of() : Arrays.asList((String[]) flags.getArray()),
                List.of());
    }

    /**
     * The keys of column {@code customer_order.search_keys}: written with each order ({@link #of}) and looked for by
     * search. The SQL function {@code customer_order_search_keys} (V10__search_by_status.sql) spells the same keys for
     * bulk loads; a test holds the two to the same result.
     */
    static final class SearchKeys {

        private SearchKeys() {}

        /**
         * Every key of an order placed at {@code businessUnitId}: {@code bu/<bu>} for where it was placed and for each
         * fulfilment's business unit, {@code bu/*} when a fulfilment is FULFILLED (every store sees it), each of those
         * with {@code /os/<order status>}, and per fulfilment {@code fm/<method>}, {@code fs/<status>} and
         * {@code f/<method>/<status>}; all under {@code <tenant>/}, sorted, without duplicates. A NUL character is
         * dropped: PostgreSQL text cannot hold one.
         */
        static String[] of(String tenantId, String businessUnitId, JsonNode customerOrder) {
            List<String> keys = new ArrayList<>();
            keys.add("bu/" + businessUnitId);
            JsonNode fulfillments = customerOrder.path("fulfillments");
            if (fulfillments.isArray()) {
                for (JsonNode f : fulfillments) {
                    String method = scalar(f.get("fulfillmentMethod"));
                    String status = scalar(f.path("status").get("status"));
                    String bu = scalar(f.get("fulfillmentBusinessUnitId"));
                    if (bu != null) {
                        keys.add("bu/" + bu);
                    }
                    if ("FULFILLED".equals(status)) {
                        keys.add("bu/*");
                    }
                    if (method != null) {
                        keys.add("fm/" + method);
                    }
                    if (status != null) {
                        keys.add("fs/" + status);
                    }
                    if (method != null && status != null) {
                        keys.add("f/" + method + "/" + status);
                    }
                }
            }
            String orderStatus = scalar(customerOrder.path("status").get("status"));
            TreeSet<String> all = new TreeSet<>();
            for (String key : keys) {
                all.add(tenantId + "/" + key);
                if (orderStatus != null && key.startsWith("bu/")) {
                    all.add(tenantId + "/" + key + "/os/" + orderStatus);
                }
            }
            return all.stream().map(k -> k.replace("\u0000", "")).distinct().toArray(String[]::new);
        }

        /** A JSON scalar as {@code ->>} gives it: its text, or null for a missing or null value. */
        private static String scalar(JsonNode node) {
            return node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()
                    ? null
                    : node.asText();
        }

        static String businessUnit(String tenantId, String bu) {
            return tenantId + "/bu/" + bu;
        }

        /** Carried by orders with a FULFILLED fulfilment, which every business unit of the tenant sees. */
        static String anyBusinessUnit(String tenantId) {
            return tenantId + "/bu/*";
        }

        /**
         * Keys any one of which an order must carry to pass the fulfilment filters; empty when there are none. Both
         * filters together must hold for one fulfilment, hence the method/status pairs.
         */
        static List<String> fulfillment(String tenantId, List<String> methods, List<String> statuses) {
            List<String> keys = new ArrayList<>();
            if (methods != null && statuses != null) {
                methods.forEach(m -> statuses.forEach(s -> keys.add(tenantId + "/f/" + m + "/" + s)));
            } else if (methods != null) {
                methods.forEach(m -> keys.add(tenantId + "/fm/" + m));
            } else if (statuses != null) {
                statuses.forEach(s -> keys.add(tenantId + "/fs/" + s));
            }
            return keys;
        }
    }
}
