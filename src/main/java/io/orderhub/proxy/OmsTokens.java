package io.orderhub.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.HubProperties;
import io.orderhub.ops.ProblemException;
import io.orderhub.orders.OrderJson;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * OAuth2 client-credentials tokens for tenants' OMSs (api.md "Proxy configuration"): fetched from the tenant's
 * authUrl, cached until {@code hub.proxy.token-refresh-margin} (60 s) before they expire, fetched once more when the
 * OMS answers 401. One fetch per tenant at a time: concurrent requests wait for it instead of stampeding the token
 * endpoint. Client secrets and tokens are never logged.
 */
@Component
public class OmsTokens {

    private static final Logger log = LoggerFactory.getLogger(OmsTokens.class);

    private record Token(String value, Instant refreshAt) {}

    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();
    private final CloseableHttpClient http;
    private final Duration margin;
    private final Clock clock = Clock.systemUTC();

    public OmsTokens(
            @org.springframework.beans.factory.annotation.Qualifier("omsConnections")
                    PoolingHttpClientConnectionManager omsConnections,
            HubProperties hub) {
        Timeout timeout = Timeout.of(hub.proxy().timeout().toMillis(), TimeUnit.MILLISECONDS);
        this.http = HttpClients.custom()
                .setConnectionManager(omsConnections)
                .setConnectionManagerShared(true)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .build())
                .build();
        this.margin = hub.proxy().tokenRefreshMargin();
    }

    /** A valid bearer token for the tenant, from the cache or fetched now. */
    public String token(String tenantId, ProxyConfig config) {
        Token cached = cache.get(tenantId);
        if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
            return cached.value();
        }
        synchronized (fetchLocks.computeIfAbsent(tenantId, t -> new Object())) {
            Token again = cache.get(tenantId);
            if (again != null && again != cached && clock.instant().isBefore(again.refreshAt())) {
                return again.value();
            }
            Token fresh = fetch(tenantId, config);
            cache.put(tenantId, fresh);
            return fresh.value();
        }
    }

    /** After a 401 from the OMS: the cached token is no good, whatever its expiry said. */
    public void rejected(String tenantId, String token) {
        cache.computeIfPresent(tenantId, (t, cached) -> cached.value().equals(token) ? null : cached);
    }

    /** Drops the tenant's token (its credentials changed). */
    public void forget(String tenantId) {
        cache.remove(tenantId);
    }

    private Token fetch(String tenantId, ProxyConfig config) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (config.scope() != null) {
            form.append("&scope=").append(URLEncoder.encode(config.scope(), StandardCharsets.UTF_8));
        }
        if (config.audience() != null) {
            form.append("&audience=").append(URLEncoder.encode(config.audience(), StandardCharsets.UTF_8));
        }
        HttpPost post = new HttpPost(config.authUrl());
        // RFC 6749 2.3.1: client credentials in HTTP Basic, each part form-encoded first
        String basic = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
        post.setHeader(
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        post.setHeader("Accept", "application/json");
        post.setEntity(new StringEntity(form.toString(), ContentType.APPLICATION_FORM_URLENCODED));
        Instant asked = clock.instant();
        try {
            return http.execute(post, response -> {
                String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
                if (response.getCode() != 200) {
                    throw authFailed(tenantId, "the token endpoint answered " + response.getCode());
                }
                JsonNode json;
                try {
                    json = OrderJson.parse(body);
                } catch (RuntimeException e) {
                    throw authFailed(tenantId, "the token endpoint's answer is not JSON");
                }
                JsonNode token = json.path("access_token");
                if (!token.isTextual() || token.asText().isEmpty()) {
                    throw authFailed(tenantId, "the token endpoint's answer has no access_token");
                }
                long lifetime = json.path("expires_in").canConvertToLong()
                        ? json.path("expires_in").asLong()
                        : 0;
                // a token without a stated lifetime is used for this request only
                Instant refreshAt = asked.plusSeconds(lifetime).minus(margin);
                return new Token(token.asText(), refreshAt);
            });
        } catch (ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw authFailed(
                    tenantId,
                    "the token endpoint could not be reached (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ProblemException authFailed(String tenantId, String why) {
        log.warn("OAuth2 token for tenant {} failed: {}", tenantId, why);
        return new ProblemException(
                502,
                "upstream-auth-failed",
                "OMS authentication failed",
                "the hub could not get a token for the OMS: " + why,
                List.of(),
                Map.of(),
                Map.of());
    }
}
