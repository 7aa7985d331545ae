package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.HubProperties;
import io.orderhub.support.Hub;
import io.orderhub.support.HubTest;
import io.orderhub.support.OrderDocs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * routes/order-event-consume polls again at once (greedy) only while it works through a backlog: after a full round
 * of which it claimed at least one event. A round of events whose orders another hub instance is applying must not
 * make it poll back to back, nor must a trickle of changes. The hub's own consumer is stopped for the test, which
 * plays its rounds step by step with the route's beans; the other instance is a second database session holding the
 * orders' apply locks, as that instance's consumers would. (PostgreSQL bus only: the Pub/Sub bus has no polling.)
 */
@HubTest
class GreedyPollingTest {

    private static final String CONSUMER = "order-event-consume";

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    EventFeed feed;

    @Autowired
    OrderLocks locks;

    @Autowired
    PostgresEventBus bus;

    @Autowired
    HubProperties hub;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcTemplate db;

    @Test
    void pollsAgainAtOnceOnlyAfterAFullRoundItClaimedFrom() throws Exception {
        Hub client = new Hub(port);
        String tenant = Hub.uniqueTenant("greedy");
        String key = client.newTenantKey(tenant, "[\"oms\"]", null);
        int batch = hub.events().batchSize();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < batch + 5; i++) {
            orders.add(Hub.uniqueId("G"));
        }
        // nothing of earlier tests may still be due: each round below must see this test's events only
        Hub.await(Duration.ofSeconds(30), "the bus has nothing due", () -> bus.dueHeads(1)
                .isEmpty());
        camel.getRouteController().stopRoute(CONSUMER);
        try (Connection otherInstance = dataSource.getConnection()) {
            otherInstance.setAutoCommit(false);

            // a trickle: three changes, all claimable, yet the round was not full
            List<String> trickle = orders.subList(0, 3);
            trickle.forEach(o -> put(client, key, o));
            Exchange round = new DefaultExchange(camel);
            List<OrderEvent> due = feed.due(round);
            assertThat(due).extracting(OrderEvent::customerOrderId).containsExactlyInAnyOrderElementsOf(trickle);
            assertThat(claimEach(round, due)).as("claimed in the trickle round").isEqualTo(3);
            feed.settle(round);
            assertThat(pollsAgainAtOnce(round))
                    .as("after a round that was not full")
                    .isFalse();

            // another instance is applying every one of these orders; a full round of them is due here
            for (String o : orders) {
                holdApplyLock(otherInstance, tenant, o);
            }
            orders.subList(3, orders.size()).forEach(o -> put(client, key, o));
            round = new DefaultExchange(camel);
            due = feed.due(round);
            assertThat(due).as("a full round").hasSize(batch);
            assertThat(claimEach(round, due))
                    .as("claimed while the other instance holds them")
                    .isZero();
            feed.settle(round);
            assertThat(pollsAgainAtOnce(round))
                    .as("after a full round of orders another instance holds")
                    .isFalse();

            // the other instance is done: the same full round is now a backlog this instance works through
            otherInstance.rollback();
            round = new DefaultExchange(camel);
            due = feed.due(round);
            assertThat(due).hasSize(batch);
            assertThat(claimEach(round, due)).as("claimed once released").isEqualTo(batch);
            feed.settle(round);
            assertThat(pollsAgainAtOnce(round))
                    .as("after a full round it claimed from")
                    .isTrue();
        } finally {
            camel.getRouteController().startRoute(CONSUMER);
        }
        // the claims above were rolled back: the hub's consumer applies every event
        Hub.await(
                Duration.ofSeconds(60),
                "every order applied",
                () -> db.queryForObject(
                                "SELECT count(*) FROM customer_order WHERE tenant_id = ?", Integer.class, tenant)
                        == orders.size());
    }

    private static void put(Hub client, String key, String orderId) {
        Hub.Answer a = client.send(
                "PUT", "/api/v1/business-units/S1/customer-orders/" + orderId, key, OrderDocs.put(orderId, "S1"));
        assertThat(a.status()).as("PUT %s: %s", orderId, a).isEqualTo(202);
    }

    /**
     * What the route's split does with each event: a copy of the round's exchange claims it in a transaction of its
     * own (rolled back here, so nothing is applied). Returns the round's claim count.
     */
    private int claimEach(Exchange round, List<OrderEvent> due) {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        for (OrderEvent event : due) {
            Exchange copy = round.copy();
            copy.getIn().setBody(event);
            tx.executeWithoutResult(status -> {
                locks.claim(copy);
                status.setRollbackOnly();
            });
        }
        return round.getProperty(EventFeed.CLAIMS, AtomicInteger.class).get();
    }

    private static boolean pollsAgainAtOnce(Exchange round) {
        return round.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class);
    }

    private static void holdApplyLock(Connection session, String tenant, String orderId) throws Exception {
        try (PreparedStatement s = session.prepareStatement(
                "SELECT pg_advisory_xact_lock(" + OrderLocks.APPLY_LOCK + ", hashtext(? || '/' || ?))")) {
            s.setString(1, tenant);
            s.setString(2, orderId);
            s.execute();
        }
    }
}
