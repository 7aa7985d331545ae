package io.orderhub.polling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.HubProperties;
import io.orderhub.ingest.DeadLetters;
import io.orderhub.ingest.EventBus;
import io.orderhub.ingest.OrderEvent;
import io.orderhub.ops.Alerts;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderDocumentValidator;
import io.orderhub.orders.OrderJson;
import io.orderhub.orders.SnapshotTimes;
import io.orderhub.orders.Violation;
import io.orderhub.proxy.OmsProxy;
import io.orderhub.tenants.Tenant;
import io.orderhub.tenants.TenantRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The rules of polling mode (api.md "Polling mode"), as steps of routes/oms-poll-tenant.camel.yaml: one poller per
 * tenant across hub instances (a PostgreSQL session advisory lock, released by the database if the instance dies),
 * pages read from the cursor of the last complete poll, each order put on the bus as if the OMS had PUT it, invalid
 * ones dead-lettered while the poll moves on, the cursor saved only when the poll completes, backoff and an alert
 * when the OMS keeps failing.
 */
@Component("omsPoller")
public class OmsPoller {

    private static final Logger log = LoggerFactory.getLogger(OmsPoller.class);
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    /** Advisory lock namespace of polling (1: accepts, 2: applies). */
    private static final int POLL_LOCK = 3;

    static final String TENANT_ID = "pollTenantId";
    static final String CLAIMED = "pollClaimed";
    static final String LOCK = "pollLockConnection";
    static final String MORE = "morePages";
    static final String PAGE_TOKEN = "pollPageToken";
    static final String PAGES = "pollPages";
    static final String ACCEPTED = "pollAccepted";
    static final String DEAD_LETTERED = "pollDeadLettered";
    static final String MAX_SEEN = "pollMaxSnapshotTime";
    static final String OMS_CURSOR = "pollOmsCursor";
    static final String FROM = "pollCursor";
    static final String POLL_NOW = "pollNow";

    private final DataSource dataSource;
    private final PollState state;
    private final TenantRepository tenants;
    private final OmsProxy proxy;
    private final EventBus bus;
    private final DeadLetters deadLetters;
    private final OrderDocumentValidator validator;
    private final Alerts alerts;
    private final HubProperties.Polling settings;

    public OmsPoller(
            DataSource dataSource,
            PollState state,
            TenantRepository tenants,
            OmsProxy proxy,
            EventBus bus,
            DeadLetters deadLetters,
            OrderDocumentValidator validator,
            Alerts alerts,
            HubProperties hub) {
        this.dataSource = dataSource;
        this.state = state;
        this.tenants = tenants;
        this.proxy = proxy;
        this.bus = bus;
        this.deadLetters = deadLetters;
        this.validator = validator;
        this.alerts = alerts;
        this.settings = hub.polling();
    }

    /** The polling tenants due now. */
    public List<String> dueTenants() {
        return state.dueTenants(100);
    }

    /**
     * Takes the tenant's poll (body: the tenant id) unless another poller, here or in another instance, has it. The
     * lock is a session lock on a connection kept for the poll: if this instance dies, PostgreSQL drops the
     * connection and the lock with it.
     */
    public void claim(Exchange exchange) throws SQLException {
        String tenantId = exchange.getIn().getBody(String.class);
        exchange.setProperty(TENANT_ID, tenantId);
        exchange.setProperty(CLAIMED, false);
        if (exchange.getProperty(CorrelationIds.ATTRIBUTE) == null
                && !(exchange.getIn() instanceof PlatformHttpMessage)) {
            // a scheduled poll: one correlation id for everything it causes
            exchange.setProperty(CorrelationIds.ATTRIBUTE, UUID.randomUUID().toString());
        }
        Connection connection = dataSource.getConnection();
        boolean locked = false;
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            s.setInt(1, POLL_LOCK);
            s.setString(2, tenantId);
            try (ResultSet rs = s.executeQuery()) {
                locked = rs.next() && rs.getBoolean(1);
            }
        } finally {
            if (!locked) {
                connection.close();
            }
        }
        if (!locked) {
            log.debug("Poll of tenant {} is running elsewhere", tenantId);
            return;
        }
        if (!Boolean.TRUE.equals(exchange.getProperty(POLL_NOW, Boolean.class)) && !state.isDue(tenantId)) {
            // another instance polled it between our look at the due list and the lock: not due any more
            exchange.setProperty(LOCK, connection);
            release(exchange);
            return;
        }
        exchange.setProperty(LOCK, connection);
        exchange.setProperty(CLAIMED, true);
        exchange.setProperty(MORE, true);
        exchange.setProperty(PAGES, 0);
        exchange.setProperty(ACCEPTED, 0);
        exchange.setProperty(DEAD_LETTERED, 0);
        exchange.setProperty(FROM, state.cursor(tenantId));
    }

    /** {@code GET {proxyBaseUrl}/customer-orders?cursor=&limit=&pageToken=} with the tenant's credentials. */
    public void preparePage(Exchange exchange) {
        String tenantId = exchange.getProperty(TENANT_ID, String.class);
        Tenant tenant = proxy.prepare(exchange, "poll", tenantId);
        PollingSettings polling = PollingSettings.of(tenant.polling());
        PollState.Cursor from = exchange.getProperty(FROM, PollState.Cursor.class);
        StringBuilder url = new StringBuilder(trimSlash(tenant.proxyBaseUrl()))
                .append("/customer-orders?limit=")
                .append(polling.pageSize());
        String cursor = cursorParameter(from);
        if (cursor != null) {
            url.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        String pageToken = exchange.getProperty(PAGE_TOKEN, String.class);
        if (pageToken != null) {
            url.append("&pageToken=").append(URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
        }
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.GET);
        exchange.getIn().setHeader(Exchange.HTTP_URI, url.toString());
        exchange.getIn().setBody(null);
    }

    /** The cursor to send: the OMS's own as it gave it, or the greatest time seen less the overlap. */
    String cursorParameter(PollState.Cursor from) {
        if (from.value() == null) {
            return null; // the first poll reads from the beginning: a backfill of every order
        }
        if ("time".equals(from.kind())) {
            return DateTimeFormatter.ISO_INSTANT.format(
                    OffsetDateTime.parse(from.value()).minus(settings.overlap()).toInstant());
        }
        return from.value();
    }

    /** Takes in one page: each order onto the bus as an OMS event, invalid ones dead-lettered; is there more? */
    public void readPage(Exchange exchange) {
        String tenantId = exchange.getProperty(TENANT_ID, String.class);
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status < 200 || status >= 300) {
            throw new PollFailed("the OMS answered " + status);
        }
        JsonNode page;
        try {
            String body = exchange.getIn().getBody(String.class);
            page = OrderJson.parse(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        } catch (OrderJson.MalformedJson e) {
            throw new PollFailed("the OMS answered with something that is not JSON");
        }
        if (!page.path("customerOrders").isArray()) {
            throw new PollFailed("the OMS answer has no customerOrders list");
        }
        String correlationId = exchange.getProperty(CorrelationIds.ATTRIBUTE, String.class);
        int accepted = 0;
        int deadLettered = 0;
        OffsetDateTime maxSeen = exchange.getProperty(MAX_SEEN, OffsetDateTime.class);
        for (JsonNode item : page.get("customerOrders")) {
            OrderEvent event = event(tenantId, item, correlationId);
            List<Violation> violations = violations(item);
            if (!violations.isEmpty()) {
                deadLetter(event, violations);
                deadLettered++;
                continue;
            }
            bus.publish(event, null);
            accepted++;
            if (maxSeen == null || event.snapshotTime().isAfter(maxSeen)) {
                maxSeen = event.snapshotTime();
            }
        }
        exchange.setProperty(MAX_SEEN, maxSeen);
        exchange.setProperty(ACCEPTED, exchange.getProperty(ACCEPTED, Integer.class) + accepted);
        exchange.setProperty(DEAD_LETTERED, exchange.getProperty(DEAD_LETTERED, Integer.class) + deadLettered);
        int pages = exchange.getProperty(PAGES, Integer.class) + 1;
        exchange.setProperty(PAGES, pages);
        if (page.path("cursor").isTextual()) {
            exchange.setProperty(OMS_CURSOR, page.get("cursor").asText());
        }
        JsonNode next = page.path("nextPageToken");
        boolean more = next.isTextual() && !next.asText().isEmpty() && pages < settings.maxPagesPerPoll();
        exchange.setProperty(PAGE_TOKEN, more ? next.asText() : null);
        exchange.setProperty(MORE, more);
    }

    /** The poll is complete: the new cursor and the result are saved, the next poll is due after the interval. */
    public void finish(Exchange exchange) {
        String tenantId = exchange.getProperty(TENANT_ID, String.class);
        String omsCursor = exchange.getProperty(OMS_CURSOR, String.class);
        OffsetDateTime maxSeen = exchange.getProperty(MAX_SEEN, OffsetDateTime.class);
        PollState.Cursor from = exchange.getProperty(FROM, PollState.Cursor.class);
        PollState.Cursor next;
        if (omsCursor != null) {
            next = new PollState.Cursor(omsCursor, "oms");
        } else if (maxSeen != null && !"oms".equals(from.kind())) {
            OffsetDateTime previous = "time".equals(from.kind()) ? OffsetDateTime.parse(from.value()) : null;
            // the cursor never moves back: an overlap re-read that found only older orders keeps it where it was
            OffsetDateTime greatest = previous != null && previous.isAfter(maxSeen) ? previous : maxSeen;
            next = new PollState.Cursor(DateTimeFormatter.ISO_INSTANT.format(greatest.toInstant()), "time");
        } else {
            next = from;
        }
        String result = "OK: " + exchange.getProperty(PAGES) + " page(s), " + exchange.getProperty(ACCEPTED)
                + " order(s) accepted, " + exchange.getProperty(DEAD_LETTERED) + " dead-lettered";
        Tenant tenant = tenants.find(tenantId).orElseThrow();
        state.succeeded(
                tenantId, next, result, PollingSettings.of(tenant.polling()).interval());
        log.info("Poll of tenant {}: {}", tenantId, result);
    }

    /** The poll failed: nothing of the cursor moves; the next poll backs off; a long failure alerts once. */
    public void failed(Exchange exchange) {
        String tenantId = exchange.getProperty(TENANT_ID, String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = describe(failure);
        Tenant tenant = tenants.find(tenantId).orElse(null);
        Duration interval = tenant == null
                ? Duration.ofSeconds(30)
                : PollingSettings.of(tenant.polling()).interval();
        int failures = state.consecutiveFailures(tenantId) + 1;
        Duration backoff = interval.multipliedBy(1L << Math.min(failures - 1, 16));
        if (backoff.compareTo(settings.maxBackoff()) > 0) {
            backoff = settings.maxBackoff();
        }
        OffsetDateTime failingSince = state.failed(tenantId, "FAILED: " + why, backoff);
        log.warn("Poll of tenant {} failed ({} in a row, next in {}): {}", tenantId, failures, backoff, why);
        if (!failingSince.isAfter(OffsetDateTime.now(ZoneOffset.UTC).minus(settings.alertAfter()))) {
            alerts.raise(new Alerts.Alert(
                    "POLLING_FAILING",
                    tenantId + "/" + failingSince.toInstant(),
                    "error",
                    tenantId,
                    null,
                    "polling the OMS has failed since " + failingSince.toInstant() + " (" + failures + " polls): "
                            + why,
                    exchange.getProperty(CorrelationIds.ATTRIBUTE, String.class),
                    Map.of("failingSince", failingSince.toInstant().toString(), "consecutiveFailures", failures)));
        }
    }

    /** Gives the poll back: the lock and its connection. */
    public void release(Exchange exchange) {
        Connection connection = exchange.getProperty(LOCK, Connection.class);
        if (connection == null) {
            return;
        }
        exchange.removeProperty(LOCK);
        try {
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                s.setInt(1, POLL_LOCK);
                s.setString(2, exchange.getProperty(TENANT_ID, String.class));
                s.execute();
            }
            connection.close();
        } catch (SQLException e) {
            // the connection would go back to the pool still holding the session lock: end its session instead
            log.warn(
                    "Releasing the poll lock of tenant {} failed: {}", exchange.getProperty(TENANT_ID), e.getMessage());
            try {
                connection.abort(Runnable::run);
                connection.close();
            } catch (SQLException ignored) {
                // already gone, and its session with it
            }
        }
    }

    /** {@code POST /admin/v1/tenants/{tenantId}:poll-now}: only for polling tenants; the body becomes the tenant id. */
    public void checkPollNow(Exchange exchange) {
        String tenantId = exchange.getIn().getHeader("tenantId", String.class);
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> ProblemException.notFound("no tenant " + tenantId));
        if (!"polling".equals(tenant.mode())) {
            throw ProblemException.conflict(
                    "not-polling", "tenant " + tenantId + " is in mode " + tenant.mode() + ", not polling");
        }
        exchange.getIn().setBody(tenantId);
        exchange.setProperty(POLL_NOW, true);
    }

    /** After a poll asked for by an operator: 409 if another poll of the tenant was running, else its state. */
    public void answerPollNow(Exchange exchange) {
        String tenantId = exchange.getProperty(TENANT_ID, String.class);
        if (!Boolean.TRUE.equals(exchange.getProperty(CLAIMED, Boolean.class))) {
            throw ProblemException.conflict("poll-running", "a poll of tenant " + tenantId + " is running; try later");
        }
        ObjectNode body = state.describe(tenantId).orElseGet(OrderJson.MAPPER::createObjectNode);
        HttpAnswers.set(exchange, 200, OrderJson.write(body), null);
    }

    private OrderEvent event(String tenantId, JsonNode item, String correlationId) {
        JsonNode order = item.path("customerOrder");
        String id = order.path("customerOrderId").isTextual()
                ? order.get("customerOrderId").asText()
                : "";
        String bu = order.path("businessUnitId").isTextual()
                ? order.get("businessUnitId").asText()
                : "";
        OffsetDateTime snapshotTime = order.isObject() ? SnapshotTimes.fromDocument(order) : null;
        return new OrderEvent(
                UUID.randomUUID(),
                0,
                tenantId,
                id,
                bu,
                OrderEvent.Origin.OMS.name(),
                snapshotTime != null ? snapshotTime : OffsetDateTime.now(ZoneOffset.UTC),
                false,
                OrderJson.write(item),
                correlationId,
                OffsetDateTime.now(ZoneOffset.UTC),
                0);
    }

    /** What a PUT would refuse, plus a polled order must name its business unit (the PUT takes it from the path). */
    private List<Violation> violations(JsonNode item) {
        List<Violation> violations = new java.util.ArrayList<>(validator.validate(item));
        JsonNode order = item.path("customerOrder");
        JsonNode bu = order.path("businessUnitId");
        if (!bu.isTextual() || !ID.matcher(bu.asText()).matches()) {
            violations.add(new Violation(
                    "/customerOrder/businessUnitId", "is required in a polled order (1 to 128 of A-Z a-z 0-9 . _ -)"));
        }
        JsonNode id = order.path("customerOrderId");
        if (id.isTextual() && !ID.matcher(id.asText()).matches()) {
            violations.add(new Violation("/customerOrder/customerOrderId", "must be 1 to 128 of A-Z a-z 0-9 . _ -"));
        }
        return violations;
    }

    private void deadLetter(OrderEvent event, List<Violation> violations) {
        String error = "invalid polled order: " + violations.get(0).pointer() + " "
                + violations.get(0).message()
                + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "");
        UUID id = deadLetters.add(event, 1, "PERSISTENT", error);
        alerts.raise(new Alerts.Alert(
                "DEAD_LETTER",
                id.toString(),
                "error",
                event.tenantId(),
                event.customerOrderId().isEmpty() ? null : event.customerOrderId(),
                "a polled order was dead-lettered: " + error,
                event.correlationId(),
                Map.of("deadLetterId", id.toString(), "eventId", event.eventId().toString())));
        log.warn("Polled order {} of tenant {} dead-lettered: {}", event.customerOrderId(), event.tenantId(), error);
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return p.getMessage();
            }
            if (t instanceof PollFailed f) {
                return f.getMessage();
            }
        }
        return failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String trimSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** A poll that cannot go on (the OMS refused or answered garbage). */
    static final class PollFailed extends RuntimeException {
        PollFailed(String message) {
            super(message, null, false, false);
        }
    }
}
