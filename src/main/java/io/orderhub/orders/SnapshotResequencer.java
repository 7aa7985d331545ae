package io.orderhub.orders;

import io.orderhub.ingest.Events;
import io.orderhub.ingest.OrderEvent;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The resequencing step of the apply route, backed by PostgreSQL: events reach it in sequence order per order (the
 * bus hands out only an order's head), and it refuses any event the order is already past, by sequence or by
 * snapshot time (domain.md "Snapshot time"), so an old snapshot replayed never undoes newer state.
 */
@Component("snapshotResequencer")
public class SnapshotResequencer {

    /** Exchange property holding the order as stored before this event, for the apply step. */
    public static final String STORED = "storedOrder";

    private final OrderRepository orders;

    public SnapshotResequencer(OrderRepository orders) {
        this.orders = orders;
    }

    /** Sets header {@code outcome} to {@code SKIPPED_STALE} or {@code SKIPPED_DUPLICATE} when the order is past it. */
    public void check(Exchange exchange) {
        OrderEvent event = exchange.getIn().getBody(OrderEvent.class);
        Optional<StoredOrder> stored = orders.find(event.tenantId(), event.customerOrderId());
        exchange.setProperty(STORED, stored.orElse(null));
        if (stored.isEmpty()) {
            return;
        }
        StoredOrder order = stored.get();
        if (order.appliedSeq() != null && event.seq() > 0 && order.appliedSeq() >= event.seq()) {
            boolean same = order.appliedSeq() == event.seq();
            exchange.getIn().setHeader(Events.OUTCOME, same ? Outcome.SKIPPED_DUPLICATE : Outcome.SKIPPED_STALE);
            exchange.getIn()
                    .setHeader(
                            Events.DETAIL,
                            same
                                    ? "sequence " + event.seq() + " was applied before"
                                    : "the order already reflects sequence " + order.appliedSeq() + " > "
                                            + event.seq());
            return;
        }
        if ("OMS".equals(event.origin())
                && order.omsSnapshotTime() != null
                && event.snapshotTime().isBefore(order.omsSnapshotTime())) {
            exchange.getIn().setHeader(Events.OUTCOME, Outcome.SKIPPED_STALE);
            exchange.getIn()
                    .setHeader(
                            Events.DETAIL,
                            "snapshot time " + event.snapshotTime() + " is older than the last applied OMS snapshot "
                                    + order.omsSnapshotTime());
        }
    }
}
