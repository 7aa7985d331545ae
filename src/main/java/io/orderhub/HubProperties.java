package io.orderhub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Every {@code hub.*} setting; {@code config/application.yaml} documents each key. */
@ConfigurationProperties("hub")
public record HubProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Db db,
        @DefaultValue("postgres") String bus,
        String adminToken,
        @DefaultValue Ops ops,
        @DefaultValue Bootstrap bootstrap,
        @DefaultValue Events events,
        @DefaultValue Retention retention,
        @DefaultValue Alerts alerts,
        @DefaultValue Http http,
        String encryptionKey,
        @DefaultValue Proxy proxy,
        @DefaultValue Polling polling,
        @DefaultValue Webhooks webhooks,
        @DefaultValue PosLog poslog,
        @DefaultValue PubSub pubsub,
        @DefaultValue Search search) {

    /**
     * Search (api.md "Search"): {@code page.total} is counted exactly up to {@code countLimit} matches (or up to
     * skip + take, when a page reaches further); beyond that it is that number and {@code page.totalExact} is false.
     * Counting is what made broad name searches slow at a million orders: a count visits every match.
     */
    public record Search(@DefaultValue("1000") int countLimit) {}

    /** An external PostgreSQL; no url means the embedded server. */
    public record Db(String url, String user, String password, @DefaultValue("20") int poolSize) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /** The ops login (Hawtio, Jolokia, health details, Prometheus) and the scrape token. */
    public record Ops(@DefaultValue("ops") String user, String password, String scrapeToken) {}

    /** A tenant and admin key made at start, for quick starts, demos and tests. */
    public record Bootstrap(String tenant, String apiKey) {}

    /**
     * The Google Pub/Sub bus ({@code hub.bus=pubsub}); runtime.md "The two buses". {@code endpoint} is the
     * {@code host:port} of an emulator (plaintext, no credentials); unset means Google with Application Default
     * Credentials.
     */
    public record PubSub(
            @DefaultValue("order-hub") String project,
            String endpoint,
            @DefaultValue("order-events") String topic,
            @DefaultValue("order-events-hub") String subscription,
            @DefaultValue("order-events-dlq") String deadLetterTopic,
            @DefaultValue("order-events-dlq-hub") String deadLetterSubscription,
            Boolean createResources,
            @DefaultValue("5") int maxDeliveryAttempts,
            @DefaultValue("60s") Duration ackDeadline,
            @DefaultValue("3600") int maxAckExtensionSeconds,
            @DefaultValue("10s") Duration minRetryBackoff,
            @DefaultValue("600s") Duration maxRetryBackoff,
            @DefaultValue("60s") Duration startupTimeout) {

        public boolean emulator() {
            return endpoint != null && !endpoint.isBlank();
        }

        /** Resources are created at start when asked, and by default only on an emulator. */
        public boolean createsResources() {
            return createResources != null ? createResources : emulator();
        }
    }

    /** Accepting and applying order events. */
    public record Events(
            @DefaultValue("5s") Duration acceptTimeout,
            @DefaultValue({"1s", "2s", "4s", "8s", "16s"}) List<Duration> retry,
            @DefaultValue("4") int consumers,
            @DefaultValue("50") int batchSize,
            @DefaultValue("20") int pollDelayMillis,
            @DefaultValue("5s") Duration outagePause) {}

    /** How long the hub keeps what; the retention job deletes older rows in small batches. */
    public record Retention(
            @DefaultValue("30d") Duration historyPayloads,
            @DefaultValue("24h") Duration idempotencyKeys,
            @DefaultValue("30d") Duration processedEvents,
            @DefaultValue("90d") Duration resolvedDeadLetters,
            @DefaultValue("30d") Duration alerts,
            @DefaultValue("7d") Duration deliveredDeliveries,
            @DefaultValue("30d") Duration outboxEvents,
            @DefaultValue("1000") int batchSize,
            @DefaultValue("1h") Duration interval) {}

    /** The alert channel (outbound.md "Alerts"). */
    public record Alerts(
            String webhookUrl,
            @DefaultValue("5m") Duration maxEventAge,
            @DefaultValue("30s") Duration checkInterval,
            @DefaultValue("20") int maxPerMinute,
            @DefaultValue({"10s", "1m", "5m"}) List<Duration> retry,
            @DefaultValue("30m") Duration maxDeliveryAge) {}

    /** HTTP conventions of every endpoint. */
    public record Http(@DefaultValue("1MB") DataSize maxBodySize) {}

    /**
     * Proxy mode (api.md "Proxy configuration"): calls to a tenant's OMS. Each tenant has its own circuit breaker and
     * bulkhead with these settings, so a slow or dead OMS of one tenant does not slow another.
     */
    public record Proxy(
            @DefaultValue("2s") Duration timeout,
            @DefaultValue("16") int bulkhead,
            @DefaultValue("50") int failureRatePercent,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("30s") Duration openFor,
            @DefaultValue("60s") Duration tokenRefreshMargin,
            @DefaultValue("false") boolean allowPrivateTargets,
            @DefaultValue List<String> privateTargetAllowList) {}

    /**
     * Polling mode (api.md "Polling mode"): a time cursor is re-read with {@code overlap}; a failing OMS is polled
     * with backoff up to {@code maxBackoff} and alerted after {@code alertAfter}.
     */
    public record Polling(
            @DefaultValue("1m") Duration overlap,
            @DefaultValue("10m") Duration alertAfter,
            @DefaultValue("10m") Duration maxBackoff,
            @DefaultValue("1000") int tickMillis,
            @DefaultValue("1000") int maxPagesPerPoll) {}

    /** Outbound webhooks (outbound.md "Delivery rules"). */
    public record Webhooks(
            @DefaultValue("5s") Duration timeout,
            @DefaultValue({"1m", "2m", "4m", "8m", "10m"}) List<Duration> retrySchedule,
            @DefaultValue("false") boolean allowHttp,
            @DefaultValue("false") boolean allowPrivateTargets,
            @DefaultValue List<String> privateTargetAllowList,
            @DefaultValue("100") int tickMillis,
            @DefaultValue("32") int concurrency,
            @DefaultValue("8") int perSubscription,
            @DefaultValue("24h") Duration disableAfter) {}

    /** POSLogs the hub issues (outbound.md "POSLog"): the workstation they are numbered under. */
    public record PosLog(@DefaultValue("ORDERHUB") String workstationId, @DefaultValue("30s") Duration retryInterval) {}
}
