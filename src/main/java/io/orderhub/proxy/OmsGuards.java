package io.orderhub.proxy;

import io.orderhub.HubProperties;
import io.orderhub.security.GuardedHttp;
import io.orderhub.security.SsrfGuard;
import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP plumbing of calls to tenants' OMSs (security/GuardedHttp): the SSRF guard of hub.proxy, its connection pool
 * ({@code #omsConnections}, also used by the token client) and camel-http client settings ({@code #omsHttpClient}).
 */
@Configuration
public class OmsGuards {

    private final SsrfGuard proxy;
    private final Duration backstop;

    public OmsGuards(HubProperties hub) {
        this.proxy =
                GuardedHttp.guard(hub.proxy().allowPrivateTargets(), hub.proxy().privateTargetAllowList());
        // the HTTP client's timeouts are a backstop a second after the circuit breaker's own, which is the one that
        // answers 504: two timeouts firing in the same instant would race to write the exchange (Camel's timeout
        // lets the call finish late)
        this.backstop = hub.proxy().timeout().plusSeconds(1);
    }

    /** The guard for proxyBaseUrl and authUrl. */
    public SsrfGuard proxy() {
        return proxy;
    }

    @Bean(name = "omsHttpClient")
    public HttpClientConfigurer omsHttpClient() {
        return GuardedHttp.configurer(backstop);
    }

    @Bean(name = "omsConnections", destroyMethod = "close")
    public PoolingHttpClientConnectionManager omsConnections(HubProperties hub) {
        return GuardedHttp.connections(proxy, backstop, 200, hub.proxy().bulkhead() * 2);
    }
}
