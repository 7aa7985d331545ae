package io.orderhub.outbound;

import io.orderhub.HubProperties;
import io.orderhub.security.GuardedHttp;
import io.orderhub.security.SsrfGuard;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP plumbing of deliveries (security/GuardedHttp): the SSRF guard of subscription URLs (hub.webhooks), checked
 * at configuration and, as the DNS resolver of the delivery pool ({@code #webhookConnections}), on every delivery's
 * resolved address; camel-http client settings with hub.webhooks.timeout ({@code #webhookHttpClient}).
 */
@Configuration
public class WebhookGuards {

    private final SsrfGuard guard;

    public WebhookGuards(HubProperties hub) {
        this.guard = GuardedHttp.guard(
                hub.webhooks().allowPrivateTargets(), hub.webhooks().privateTargetAllowList());
    }

    public SsrfGuard guard() {
        return guard;
    }

    @Bean(name = "webhookConnections", destroyMethod = "close")
    public PoolingHttpClientConnectionManager webhookConnections(HubProperties hub) {
        return GuardedHttp.connections(
                guard,
                hub.webhooks().timeout(),
                hub.webhooks().concurrency() * 2,
                hub.webhooks().perSubscription() * 2);
    }

    @Bean(name = "webhookHttpClient")
    public HttpClientConfigurer webhookHttpClient(HubProperties hub) {
        return GuardedHttp.configurer(hub.webhooks().timeout());
    }
}
