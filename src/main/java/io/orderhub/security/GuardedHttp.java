package io.orderhub.security;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The parts every outgoing call to a configured URL is made of (an OMS, a webhook subscriber): the SSRF guard, a
 * connection pool whose DNS resolver is that guard (the address actually connected to is the one checked, with no
 * DNS-rebinding window), and camel-http client settings with explicit timeouts, no redirects and no retries of the
 * HTTP client's own.
 */
public final class GuardedHttp {

    private GuardedHttp() {}

    /** A guard from settings; blank allow-list entries (an unset environment variable) are ignored. */
    public static SsrfGuard guard(boolean allowPrivateTargets, List<String> allowList) {
        return new SsrfGuard(
                allowPrivateTargets,
                allowList.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** Pooled connections through {@code guard}, with connect and socket timeouts of {@code timeout}. */
    public static PoolingHttpClientConnectionManager connections(
            SsrfGuard guard, Duration timeout, int maxTotal, int maxPerRoute) {
        Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guard)
                .setMaxConnTotal(maxTotal)
                .setMaxConnPerRoute(maxPerRoute)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(t).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(t)
                        .setSocketTimeout(t)
                        .build())
                .build();
    }

    /**
     * camel-http client settings: a response timeout (camel-http's own request defaults would wait for an answer for
     * ever; this configurer runs after them), no automatic retries (the HTTP client would wait and repeat a 503 on its
     * own), no redirects (a redirect to an address the guard refuses must not even be tried).
     */
    public static HttpClientConfigurer configurer(Duration timeout) {
        Timeout t = Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS);
        RequestConfig requests = RequestConfig.custom()
                .setResponseTimeout(t)
                .setConnectionRequestTimeout(t)
                .build();
        return builder ->
                builder.disableAutomaticRetries().disableRedirectHandling().setDefaultRequestConfig(requests);
    }
}
