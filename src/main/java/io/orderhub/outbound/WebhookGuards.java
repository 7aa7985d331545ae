package io.orderhub.outbound;

import io.orderhub.HubProperties;
import io.orderhub.security.SsrfGuard;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP plumbing of deliveries: the SSRF guard of subscription URLs (hub.webhooks.allow-private-targets and its
 * allow-list), used at configuration and as the DNS resolver of the delivery connection pool, so every delivery's
 * resolved address is checked (no DNS rebinding); timeouts of hub.webhooks.timeout; no redirects, no retries of the
 * HTTP client's own (the journal decides about retries).
 */
@Configuration
public class WebhookGuards {

    private final SsrfGuard guard;

    public WebhookGuards(HubProperties hub) {
        this.guard = new SsrfGuard(
                hub.webhooks().allowPrivateTargets(),
                hub.webhooks().privateTargetAllowList().stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList());
    }

    public SsrfGuard guard() {
        return guard;
    }

    @Bean(name = "webhookConnections", destroyMethod = "close")
    public PoolingHttpClientConnectionManager webhookConnections(HubProperties hub) {
        Timeout timeout = Timeout.of(hub.webhooks().timeout().toMillis(), TimeUnit.MILLISECONDS);
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guard)
                .setMaxConnTotal(hub.webhooks().concurrency() * 2)
                .setMaxConnPerRoute(hub.webhooks().perSubscription() * 2)
                .setDefaultSocketConfig(
                        SocketConfig.custom().setSoTimeout(timeout).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .build();
    }

    @Bean(name = "webhookHttpClient")
    public HttpClientConfigurer webhookHttpClient(HubProperties hub) {
        Timeout timeout = Timeout.of(hub.webhooks().timeout().toMillis(), TimeUnit.MILLISECONDS);
        // camel-http's own request defaults would wait for an answer for ever: the timeout is set here, after them
        org.apache.hc.client5.http.config.RequestConfig requests =
                org.apache.hc.client5.http.config.RequestConfig.custom()
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .build();
        return builder ->
                builder.disableAutomaticRetries().disableRedirectHandling().setDefaultRequestConfig(requests);
    }
}
