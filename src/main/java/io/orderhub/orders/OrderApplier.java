package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.ingest.Events;
import io.orderhub.ingest.OrderEvent;
import io.orderhub.outbound.Outbox;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Applies an event's snapshot to the stored order under {@link SnapshotMerge}, mints the order codes it lacks, stores
 * the result and publishes the change.
 */
@Component("orderApplier")
public class OrderApplier {

    private final OrderRepository orders;
    private final OrderCodes codes;
    private final Outbox changes;
    private final io.orderhub.outbound.PosLogs posLogs;

    public OrderApplier(
            OrderRepository orders, OrderCodes codes, Outbox changes, io.orderhub.outbound.PosLogs posLogs) {
        this.posLogs = posLogs;
        this.orders = orders;
        this.codes = codes;
        this.changes = changes;
    }

    /** Merges and saves; sets header {@code outcome} to APPLIED, UNCHANGED or REJECTED_CONFLICT. */
    public void apply(Exchange exchange) {
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        StoredOrder stored = exchange.getProperty(SnapshotResequencer.STORED, StoredOrder.class);
        JsonNode snapshot = OrderJson.parse(event.payload()).path("customerOrder");
        JsonNode storedDoc =
                stored == null ? null : OrderJson.parse(stored.document()).path("customerOrder");
        SnapshotMerge.Result result = SnapshotMerge.merge(
                storedDoc, stored == null ? null : stored.businessUnitId(), snapshot, event.businessUnitId());
        exchange.getIn().setHeader(Events.OUTCOME, result.outcome());
        exchange.getIn().setHeader(Events.DETAIL, result.detail());
        if (result.outcome() == Outcome.REJECTED_CONFLICT) {
            if (stored != null && result.storeProgressWon()) {
                // the OMS learns the true state at once, from an update it does not filter out as its own echo
                changes.published(
                        stored.tenantId(),
                        stored.customerOrderId(),
                        stored.businessUnitId(),
                        OrderEvent.Origin.HUB.name(),
                        event.correlationId(),
                        stored.document(),
                        storedDoc);
            }
            return;
        }
        if (result.merged() != null) {
            codes.mintMissing(event.tenantId(), event.customerOrderId(), result.merged());
        }
        boolean oms = "OMS".equals(event.origin());
        JsonNode document = result.merged() != null ? result.merged() : storedDoc;
        StoredOrder next = new StoredOrder(
                event.tenantId(),
                event.customerOrderId(),
                stored == null ? event.businessUnitId() : stored.businessUnitId(),
                result.merged() != null ? OrderJson.write(wrap(result.merged())) : stored.document(),
                stored == null ? event.origin() : stored.origin(),
                event.seq() > 0 ? event.seq() : (stored == null ? null : stored.appliedSeq()),
                oms
                        ? SnapshotTimes.later(stored == null ? null : stored.omsSnapshotTime(), event.snapshotTime())
                        : (stored == null ? null : stored.omsSnapshotTime()),
                stored == null ? java.util.List.of() : stored.flags(),
                null);
        orders.save(next, document, storedDoc, result.outcome() == Outcome.APPLIED);
        if (result.outcome() == Outcome.APPLIED) {
            changes.published(
                    next.tenantId(),
                    next.customerOrderId(),
                    next.businessUnitId(),
                    event.origin(),
                    event.correlationId(),
                    next.document(),
                    document);
            // a warehouse shipment the OMS reports delivered is a sale on record (domain.md): one POSLog, once
            posLogs.warehouseFulfilled(
                    event.tenantId(), storedDoc, document, event.correlationId(), java.time.Instant.now());
        }
    }

    private static JsonNode wrap(JsonNode customerOrder) {
        return OrderJson.MAPPER.createObjectNode().set("customerOrder", customerOrder);
    }
}
