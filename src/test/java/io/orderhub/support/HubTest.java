package io.orderhub.support;

import io.orderhub.OrderHubApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A black-box test against one running hub on the embedded PostgreSQL, on the PostgreSQL bus, or on the Pub/Sub bus
 * when the run says {@code -Dhub.bus=pubsub} ({@link PubSubBus}). Every test class uses exactly these settings,
 * so Spring starts the hub and its database once for the whole suite. Schedules are shortened through settings.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CamelSpringBootTest
@SpringBootTest(
        classes = OrderHubApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // each bus its own database: the two runs of the same classes start from the same state
            "hub.data-dir=target/test-hub-data-${hub.bus:postgres}",
            "hub.admin-token=" + Hub.ADMIN_TOKEN,
            "hub.ops.password=" + Hub.OPS_PASSWORD,
            "hub.ops.scrape-token=" + Hub.SCRAPE_TOKEN,
            "hub.bootstrap.tenant=" + Hub.BOOTSTRAP_TENANT,
            "hub.bootstrap.api-key=" + Hub.BOOTSTRAP_KEY,
            "hub.events.retry=200ms,400ms,600ms",
            "hub.events.poll-delay-millis=20",
            "hub.events.outage-pause=500ms",
            "hub.alerts.dispatch-delay-millis=100",
            "hub.alerts.retry=200ms,200ms",
            "hub.alerts.check-interval=500ms",
            "hub.alerts.max-per-minute=10000",
            // test OMSs and receivers listen on loopback: exempt exactly that address from the SSRF guard
            "hub.proxy.private-target-allow-list=127.0.0.1/32",
            "hub.proxy.timeout=1s",
            "hub.proxy.minimum-calls=4",
            "hub.proxy.sliding-window=4",
            "hub.polling.tick-millis=200",
            "hub.webhooks.allow-http=true",
            "hub.webhooks.private-target-allow-list=127.0.0.1/32",
            "hub.webhooks.timeout=1s",
            "hub.webhooks.retry-schedule=200ms,400ms,600ms",
            "hub.webhooks.tick-millis=50",
            "hub.webhooks.disable-after=4s",
            "hub.poslog.retry-interval=300ms",
            "hub.alerts.max-delivery-age=2s",
            "hub.polling.alert-after=0s",
            "hub.polling.max-backoff=1h",
            // Pub/Sub's least: a message whose ack was lost with its connection comes back after this, not a minute
            "hub.pubsub.ack-deadline=10s",
        })
@ContextConfiguration(initializers = {AlertReceiver.class, CamelJmxOn.class, PubSubBus.class})
@ExtendWith(PubSubBus.class)
public @interface HubTest {}
