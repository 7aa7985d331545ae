package io.orderhub.outbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.HubProperties;
import io.orderhub.ops.Alerts;
import io.orderhub.ops.CorrelationIds;
import io.orderhub.orders.OrderJson;
import io.orderhub.security.SsrfGuard;
import jakarta.annotation.PreDestroy;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The rules of delivering to subscribers (outbound.md "Delivery rules"), as steps of routes/webhook-dispatch and
 * routes/webhook-deliver: which deliveries go now, the envelope and its signatures, and what an answer means: 200,
 * 201, 202, 204 delivered; no connection, timeout, 408, 429 (after its Retry-After) and 5xx retried on the schedule,
 * then FAILED with an alert; anything else FAILED at once.
 */
@Component("webhookDispatch")
public class WebhookDispatch {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatch.class);
    private static final String JOB = "delivery";
    private static final String USER_AGENT = "OrderHub/" + version();

    private final Deliveries deliveries;
    private final Subscriptions subscriptions;
    private final Alerts alerts;
    private final HubProperties.Webhooks settings;
    private final SsrfGuard guard;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Signalled whenever a delivery thread finishes, so a dispatcher waiting for a free lane claims at once. */
    private final Object laneFreed = new Object();
    /** Successful attempts not yet written to the journal; the dispatcher writes them in one statement. */
    private final Queue<Deliveries.Success> successes = new ConcurrentLinkedQueue<>();
    /**
     * Decrypted subscriptions with the updated_at they were read with, keyed by tenant and webhook id; a claim tells
     * which version is current. One map of pairs, so a copy is never paired with another copy's version.
     */
    private final Map<String, Subscriptions.Versioned> subscriptionCache = new ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.MeterRegistry registry;

    public WebhookDispatch(
            Deliveries deliveries,
            Subscriptions subscriptions,
            Alerts alerts,
            HubProperties hub,
            WebhookGuards guards,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.registry = registry;
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.alerts = alerts;
        this.settings = hub.webhooks();
        this.guard = guards.guard();
    }

    /**
     * The deliveries to start now: only as many as there are free delivery threads, so nothing claimed waits in a
     * queue while its lease runs out, and a slow subscriber never makes the dispatcher wait. First the successful
     * attempts since the last call are written (which lets the next update of those orders go), and when every
     * thread is busy the dispatcher waits for one to finish (at most a tick) rather than for the next tick. The
     * scheduler runs again at once while there was work ({@code CamelSchedulerPolledMessages}, with {@code greedy}),
     * and after {@code hub.webhooks.tick-millis} when there was none.
     */
    public List<Deliveries.Job> due(Exchange exchange) {
        // set first: should anything below throw, the scheduler waits its tick instead of running again at once
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, false);
        int recorded = recordSuccessesOrKeepThem();
        if (settings.concurrency() - inFlight.get() <= 0) {
            waitForALane();
            recorded += recordSuccessesOrKeepThem();
        }
        int free = settings.concurrency() - inFlight.get();
        Duration lease = settings.timeout().multipliedBy(2).plusSeconds(30);
        List<Deliveries.Job> jobs = free > 0 ? deliveries.claim(free, settings.perSubscription(), lease) : List.of();
        inFlight.addAndGet(jobs.size());
        exchange.setProperty(Exchange.SCHEDULER_POLLED_MESSAGES, !jobs.isEmpty() || recorded > 0);
        return jobs;
    }

    /**
     * {@link #recordSuccesses}, but a failed write does not stop this round's claim: the other subscriptions'
     * deliveries go on, and the successes are written in a later round (their leases hold them meanwhile).
     */
    private int recordSuccessesOrKeepThem() {
        try {
            return recordSuccesses();
        } catch (RuntimeException e) {
            log.warn("Could not record {} successful deliveries yet; trying again next round", successes.size(), e);
            return 0;
        }
    }

    /**
     * Writes the successful attempts collected since the last call, and marks their subscriptions healthy, in one
     * statement. If the write fails they are kept for the next call; should the hub die first, their leases run out
     * and they are delivered again with the same event id (at least once, as receivers are told to expect).
     */
    int recordSuccesses() {
        List<Deliveries.Success> batch = new ArrayList<>();
        for (Deliveries.Success s; batch.size() < 5_000 && (s = successes.poll()) != null; ) {
            batch.add(s);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            deliveries.deliveredAll(batch);
        } catch (RuntimeException e) {
            successes.addAll(batch);
            throw e;
        }
        return batch.size();
    }

    /** On shutdown, what was delivered is written down rather than left to be sent again after the leases run out. */
    @PreDestroy
    void recordLastSuccesses() {
        try {
            while (recordSuccesses() > 0) {
                // batches of at most 5,000
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Could not record {} successful deliveries at shutdown; they will be sent again",
                    successes.size(),
                    e);
        }
    }

    private void waitForALane() {
        synchronized (laneFreed) {
            if (settings.concurrency() - inFlight.get() <= 0) {
                try {
                    laneFreed.wait(settings.tickMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Builds the request: the CloudEvents envelope (Hii Retail External Events), signatures, auth, correlation id. */
    public void prepare(Exchange exchange) {
        Deliveries.Job job = exchange.getIn().getBody(Deliveries.Job.class);
        exchange.setProperty(JOB, job);
        Subscription s = subscription(job);
        boolean posLog = Outbox.TRANSACTIONS.equals(job.eventType());
        // a POSLog is stored already deflated and base64-encoded: its data goes out as it is
        String data = posLog
                ? job.payload()
                : Base64.getEncoder().encodeToString(job.payload().getBytes(StandardCharsets.UTF_8));
        ObjectNode envelope = OrderJson.MAPPER.createObjectNode();
        envelope.put("id", job.eventId().toString());
        envelope.put("source", "orderhub");
        envelope.put("type", job.eventType());
        envelope.put("specversion", "1.0");
        envelope.put("time", DateTimeFormatter.ISO_INSTANT.format(job.time().toInstant()));
        envelope.put("datacontenttype", posLog ? "application/zip" : "application/json");
        envelope.put("dataencoding", "base64");
        envelope.put("data", data);
        if (job.customerOrderId() != null) {
            envelope.put("subject", job.businessUnitId() + "/" + job.customerOrderId());
        }
        ObjectNode meta = envelope.putObject("meta");
        meta.put("tenantId", job.tenantId());
        meta.put("origin", job.origin());
        if (job.businessDay() != null) {
            meta.put("businessDay", job.businessDay().toString());
        }
        byte[] body = OrderJson.write(envelope).getBytes(StandardCharsets.UTF_8);
        byte[] key = Signatures.keyBytes(s.sharedKey());
        long timestamp = Instant.now().getEpochSecond();

        exchange.getIn().removeHeaders("*");
        // the enum, not "POST": camel-http converts a String method with a search of its type converters on every
        // request, which was a sixth of a delivery thread's CPU (JFR, fan-out benchmark)
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.POST);
        exchange.getIn().setHeader(Exchange.HTTP_URI, s.url());
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader("User-Agent", USER_AGENT);
        if (job.correlationId() != null) {
            exchange.getIn().setHeader(CorrelationIds.HEADER, job.correlationId());
        }
        if ("basic".equals(s.authType())) {
            exchange.getIn()
                    .setHeader(
                            "Authorization",
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString((s.authUsername() + ":" + s.authSecret())
                                                    .getBytes(StandardCharsets.UTF_8)));
        } else if ("bearer".equals(s.authType())) {
            exchange.getIn().setHeader("Authorization", "Bearer " + s.authSecret());
        }
        exchange.getIn().setHeader("X-Hii-Signature", Signatures.hii(key, data));
        exchange.getIn().setHeader("webhook-id", job.eventId().toString());
        exchange.getIn().setHeader("webhook-timestamp", Long.toString(timestamp));
        exchange.getIn()
                .setHeader(
                        "webhook-signature",
                        Signatures.standardWebhooks(key, job.eventId().toString(), timestamp, body));
        exchange.getIn().setBody(body);
    }

    /** The job's subscription as it was when the job was claimed, decrypted once per change of the subscription. */
    private Subscription subscription(Deliveries.Job job) {
        String key = job.tenantId() + "/" + job.webhookId();
        Subscriptions.Versioned cached = subscriptionCache.get(key);
        if (cached != null && cached.updatedAt().equals(job.subscriptionVersion())) {
            return cached.subscription();
        }
        // read with its own updated_at: if it changed again since the claim, this delivery uses the newer copy
        Subscriptions.Versioned read = subscriptions
                .findVersioned(job.tenantId(), job.webhookId())
                .orElseThrow(() -> new IllegalStateException("subscription is gone"));
        subscriptionCache.put(key, read);
        return read.subscription();
    }

    /** Records what the subscriber answered. */
    public void answered(Exchange exchange) {
        Deliveries.Job job = exchange.getProperty(JOB, Deliveries.Job.class);
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        try {
            if (status == 200 || status == 201 || status == 202 || status == 204) {
                // written by the dispatcher with the others of its round (recordSuccesses); the lease holds it
                // meanwhile
                successes.add(new Deliveries.Success(job.deliveryId(), status, Instant.now()));
                count(job, "DELIVERED");
            } else if (status == 408 || status == 429 || status >= 500) {
                Duration retryAfter =
                        status == 429 ? retryAfter(exchange.getIn().getHeader("Retry-After", String.class)) : null;
                retryOrFail(job, status, "answered " + status, retryAfter);
            } else {
                // a 400 fails the same way the twentieth time: no retries
                failNow(job, status, "answered " + status + " (not retried)");
            }
        } finally {
            done(exchange);
        }
    }

    /** No answer: no connection, a timeout, a refused address. */
    public void unanswered(Exchange exchange) {
        Deliveries.Job job = exchange.getProperty(JOB, Deliveries.Job.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        try {
            if (job == null) {
                return;
            }
            String why = describe(failure);
            if (isRefusedTarget(failure)) {
                // the address is one the hub may not call: no retry will change that
                failNow(job, null, why);
            } else {
                retryOrFail(job, null, why, null);
            }
        } finally {
            done(exchange);
        }
    }

    private void done(Exchange exchange) {
        if (exchange.removeProperty(JOB) != null) {
            inFlight.decrementAndGet();
            synchronized (laneFreed) {
                laneFreed.notifyAll();
            }
        }
    }

    private void retryOrFail(Deliveries.Job job, Integer status, String error, Duration retryAfter) {
        List<Duration> schedule = settings.retrySchedule();
        int attemptsSoFar = job.attempts() + 1;
        if (attemptsSoFar > schedule.size()) {
            failNow(job, status, error + " (out of retries after " + attemptsSoFar + " attempts)");
            return;
        }
        Duration wait = schedule.get(attemptsSoFar - 1);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        deliveries.retryLater(job.deliveryId(), status, error, wait);
        count(job, "RETRIED");
        disableIfFailingTooLong(job, error);
        log.info(
                "Delivery {} of event {} to {}/{}: {}; retry in {}",
                job.deliveryId(),
                job.eventId(),
                job.tenantId(),
                job.webhookId(),
                error,
                wait);
    }

    private void failNow(Deliveries.Job job, Integer status, String error) {
        deliveries.failed(job.deliveryId(), status, error);
        count(job, "FAILED");
        disableIfFailingTooLong(job, error);
        log.warn(
                "Delivery {} of event {} to {}/{} FAILED: {}",
                job.deliveryId(),
                job.eventId(),
                job.tenantId(),
                job.webhookId(),
                error);
        alerts.raise(new Alerts.Alert(
                "WEBHOOK_FAILED",
                job.tenantId() + "/" + job.webhookId() + "/" + job.deliveryId(),
                "error",
                job.tenantId(),
                job.customerOrderId(),
                "delivery " + job.deliveryId() + " of event " + job.eventId() + " (" + job.eventType() + ") to webhook "
                        + job.webhookId() + " failed: " + error,
                job.correlationId(),
                Map.of(
                        "webhookId", job.webhookId(),
                        "deliveryId", Long.toString(job.deliveryId()),
                        "eventId", job.eventId().toString())));
    }

    /**
     * outbound.md: a subscription with no successful delivery for hub.webhooks.disable-after while attempts kept
     * failing is disabled, with an alert; its events keep arriving in the journal as PENDING.
     */
    private void disableIfFailingTooLong(Deliveries.Job job, String error) {
        if (subscriptions.disableIfFailingFor(job.tenantId(), job.webhookId(), settings.disableAfter())) {
            log.warn(
                    "Webhook {}/{} disabled: no successful delivery for {}",
                    job.tenantId(),
                    job.webhookId(),
                    settings.disableAfter());
            alerts.raise(new Alerts.Alert(
                    "WEBHOOK_DISABLED",
                    job.tenantId() + "/" + job.webhookId() + "/" + java.time.Instant.now(),
                    "error",
                    job.tenantId(),
                    null,
                    "webhook " + job.webhookId() + " was disabled: no successful delivery for "
                            + settings.disableAfter() + "; last error: " + error
                            + ". Its events wait in the journal; PUT it with \"enabled\": true to resume.",
                    job.correlationId(),
                    Map.of("webhookId", job.webhookId())));
        }
    }

    /** Deliveries by outcome, per subscription (Prometheus: orderhub_webhook_deliveries_total). */
    private void count(Deliveries.Job job, String outcome) {
        io.micrometer.core.instrument.Counter.builder("orderhub.webhook.deliveries")
                .description("delivery attempts by outcome: DELIVERED, RETRIED (a retryable failure), FAILED")
                .tags("tenant", job.tenantId(), "webhook", job.webhookId(), "outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Retry-After in seconds (the HTTP-date form is rare from webhooks receivers; it is read as no hint). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, 3600)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isRefusedTarget(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SsrfGuard.Refused) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return "no answer within " + "the timeout";
            }
            if (t instanceof SsrfGuard.Refused) {
                return "the target resolves to an address the hub may not call";
            }
            if (t instanceof java.net.ConnectException) {
                return "no connection: " + t.getMessage();
            }
        }
        return failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String version() {
        String v = WebhookDispatch.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
