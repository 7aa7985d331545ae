package io.orderhub.orders;

import io.orderhub.ops.HttpAnswers;
import io.orderhub.ops.ProblemException;
import io.orderhub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Reads of stored orders: one order as visible to a business unit, and an order's history. */
@Component("orderReads")
public class OrderReads {

    private final OrderRepository orders;
    private final OrderHistory history;

    public OrderReads(OrderRepository orders, OrderHistory history) {
        this.orders = orders;
        this.history = history;
    }

    /** {@code GET .../customer-orders/{id}}: the stored document, 404 when not visible to {@code {bu}}. */
    public void get(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        String id = exchange.getIn().getHeader("id", String.class);
        StoredOrder order = orders.findVisible(caller.tenantId(), id, bu)
                .orElseThrow(() -> ProblemException.notFound("no order " + id + " visible to business unit " + bu));
        HttpAnswers.set(exchange, 200, order.document(), null);
    }

    /** {@code GET .../customer-orders/{id}/history}: every event and operation with its outcome. */
    public void history(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        String bu = exchange.getIn().getHeader("bu", String.class);
        String id = exchange.getIn().getHeader("id", String.class);
        boolean visible = orders.findVisible(caller.tenantId(), id, bu).isPresent()
                || (orders.find(caller.tenantId(), id).isEmpty() && history.exists(caller.tenantId(), id));
        if (!visible) {
            throw ProblemException.notFound("no order " + id + " visible to business unit " + bu);
        }
        HttpAnswers.set(exchange, 200, history.list(caller.tenantId(), id).toString(), null);
    }
}
