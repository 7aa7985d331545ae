package io.orderhub.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ops.HttpAnswers;
import io.orderhub.security.Caller;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code POST .../customer-orders:search} (api.md "Search"): reads the filters, answers the page of visible orders. */
@Component("orderSearch")
public class OrderSearch {

    /** Exchange property holding the validated criteria between the route's steps. */
    public static final String CRITERIA = "orderSearchCriteria";

    private final OrderSearchRepository repository;

    public OrderSearch(OrderSearchRepository repository) {
        this.repository = repository;
    }

    /** Validates the body and {@code {bu}}; an empty body means no filters. 400 naming every violation otherwise. */
    public void criteria(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        boolean empty = body == null || new String(body, StandardCharsets.UTF_8).isBlank();
        JsonNode root = empty ? null : OrderJson.parse(body);
        exchange.setProperty(
                CRITERIA, OrderSearchCriteria.parse(exchange.getIn().getHeader("bu", String.class), root));
    }

    /** Runs the search in the caller's tenant and answers 200 with the page. */
    public void search(Exchange exchange) {
        OrderSearchCriteria criteria = exchange.getProperty(CRITERIA, OrderSearchCriteria.class);
        OrderSearchRepository.Page page = repository.search(Caller.of(exchange).tenantId(), criteria);
        HttpAnswers.set(exchange, 200, OrderJson.write(answer(criteria, page)), null);
    }

    /** The answer body; fields without a value are left out rather than written as null. */
    static ObjectNode answer(OrderSearchCriteria criteria, OrderSearchRepository.Page page) {
        ObjectNode root = OrderJson.MAPPER.createObjectNode();
        ArrayNode orders = root.putArray("customerOrders");
        for (OrderSearchRepository.FoundOrder o : page.orders()) {
            ObjectNode item = orders.addObject();
            item.put("customerOrderId", o.customerOrderId());
            item.put("businessUnitId", o.businessUnitId());
            putIfPresent(item, "customerId", o.customerId());
            putIfPresent(item, "customerName", o.customerName());
            item.put("status", o.status());
            // ISO_INSTANT always writes seconds and 'Z': RFC 3339 in UTC (OffsetDateTime.toString drops ":00" seconds)
            item.put("changedDateTime", DateTimeFormatter.ISO_INSTANT.format(o.changedAt()));
            ArrayNode fulfillments = item.putArray("fulfillments");
            for (OrderSearchRepository.FoundFulfillment f : o.fulfillments()) {
                ObjectNode fulfillment = fulfillments.addObject();
                fulfillment.put("fulfillmentId", f.fulfillmentId());
                fulfillment.put("fulfillmentMethod", f.fulfillmentMethod());
                putIfPresent(fulfillment, "fulfillmentBusinessUnitId", f.fulfillmentBusinessUnitId());
                fulfillment.put("status", f.status());
                putIfPresent(fulfillment, "orderCode", f.orderCode());
            }
            ArrayNode flags = item.putArray("flags");
            o.flags().forEach(flags::add);
        }
        root.putObject("page")
                .put("skip", criteria.skip())
                .put("take", criteria.take())
                .put("total", page.total())
                // false when the count stopped at hub.search.count-limit: there are more than total
                .put("totalExact", page.totalExact())
                .put(
                        "hasMore",
                        !page.totalExact()
                                || criteria.skip() + (long) page.orders().size() < page.total());
        return root;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
