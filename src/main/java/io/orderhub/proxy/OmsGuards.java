package io.orderhub.proxy;

import io.orderhub.HubProperties;
import io.orderhub.security.SsrfGuard;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP plumbing of calls to tenants' OMSs: the SSRF guard (hub.proxy.allow-private-targets and its allow-list)
 * and the connection pool whose DNS resolver is that guard, so the address actually connected to is the one checked,
 * not an earlier lookup a rebinding DNS could change.
 */
@Configuration
public class OmsGuards {

    private final SsrfGuard proxy;

    public OmsGuards(HubProperties hub) {
        this.proxy = new SsrfGuard(
                hub.proxy().allowPrivateTargets(),
                hub.proxy().privateTargetAllowList().stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList());
    }

    /** The guard for proxyBaseUrl and authUrl. */
    public SsrfGuard proxy() {
        return proxy;
    }

    /**
     * How camel-http builds its client for OMS calls ({@code #omsHttpClient}): no automatic retries, which would wait
     * and repeat a 503 on their own past the timeout (the breaker and the caller decide about retries), and no
     * redirects (a redirect to an address the guard refuses must not even be tried).
     */
    @Bean(name = "omsHttpClient")
    public org.apache.camel.component.http.HttpClientConfigurer omsHttpClient(HubProperties hub) {
        // a backstop a second after the circuit breaker's own timeout, which is the one that answers 504: two timeouts
        // firing in the same instant would race to write the exchange (Camel's timeout lets the call finish late)
        Timeout timeout = Timeout.of(hub.proxy().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        // camel-http's own request defaults would wait for an answer for ever: the timeout is set here, after them
        org.apache.hc.client5.http.config.RequestConfig requests =
                org.apache.hc.client5.http.config.RequestConfig.custom()
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .build();
        return builder ->
                builder.disableAutomaticRetries().disableRedirectHandling().setDefaultRequestConfig(requests);
    }

    /**
     * Connections to OMSs (camel-http endpoints refer to it as {@code #omsConnections}; the token client uses it too).
     * Connect and socket timeouts follow hub.proxy.timeout so a hung OMS frees its thread, not only the caller.
     */
    @Bean(name = "omsConnections", destroyMethod = "close")
    public PoolingHttpClientConnectionManager omsConnections(HubProperties hub) {
        // a backstop a second after the circuit breaker's own timeout, which is the one that answers 504: two timeouts
        // firing in the same instant would race to write the exchange (Camel's timeout lets the call finish late)
        Timeout timeout = Timeout.of(hub.proxy().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(proxy)
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(hub.proxy().bulkhead() * 2)
                .setDefaultSocketConfig(
                        SocketConfig.custom().setSoTimeout(timeout).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .build();
    }
}
