package io.orderhub.security;

import io.orderhub.ops.ProblemException;
import io.orderhub.ops.Problems;
import io.orderhub.tenants.ApiKey;
import io.orderhub.tenants.TenantRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /api} with API keys and {@code /admin} with the operator token, and authorises by
 * {@link EndpointAccess}: no or bad credentials 401, a business unit the key is not restricted to or a missing role
 * 403.
 */
public class BearerAuthenticationFilter extends OncePerRequestFilter {

    private static final org.springframework.web.util.UrlPathHelper PATHS =
            new org.springframework.web.util.UrlPathHelper();

    private final TenantRepository tenants;
    private final HubCredentials credentials;

    public BearerAuthenticationFilter(TenantRepository tenants, HubCredentials credentials) {
        this.tenants = tenants;
        this.credentials = credentials;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = bearer(request);
        // the decoded path, as Spring MVC matches it: checking the raw URI would let %2D-style encodings slip past
        String path = PATHS.getPathWithinApplication(request);
        if (path.startsWith("/admin/")) {
            if (!credentials.isAdminToken(token)) {
                unauthorized(request, response, "the operator API takes the operator token (hub.admin-token)");
                return;
            }
            authenticated("operator", List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKey> key;
        try {
            key = token == null ? Optional.empty() : tenants.findKey(Tokens.keyIdOf(token));
        } catch (org.springframework.dao.DataAccessException e) {
            // keys live in the database: while it is away, callers are told to come back, not refused
            Problems.write(
                    request,
                    response,
                    ProblemException.unavailable("the hub's database is not reachable right now", 5));
            return;
        }
        if (key.isEmpty()
                || key.get().revoked()
                || !Tokens.matches(token, key.get().secretHash())) {
            unauthorized(request, response, token == null ? "an API key is required" : "the API key is not valid");
            return;
        }
        ApiKey k = key.get();
        Caller caller = new Caller(k.tenantId(), k.keyId(), k.name(), k.roles(), k.businessUnits(), k.tenantMode());
        String bu = EndpointAccess.businessUnitOf(path);
        if (bu != null && !caller.mayActAs(bu)) {
            Problems.write(request, response, forbidden("this key may not act for business unit " + bu));
            return;
        }
        Set<String> wanted = EndpointAccess.rolesFor(request.getMethod(), path);
        if (!wanted.isEmpty() && !caller.hasAnyRole(wanted)) {
            Problems.write(
                    request,
                    response,
                    forbidden("this needs one of the roles "
                            + String.join(", ", wanted.stream().sorted().toList())));
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        authenticated(
                caller.tenantId() + "/" + caller.keyId(),
                caller.roles().stream()
                        .map(r -> new SimpleGrantedAuthority("ROLE_" + r.toUpperCase()))
                        .toList());
        chain.doFilter(request, response);
    }

    private static void authenticated(String principal, List<SimpleGrantedAuthority> authorities) {
        SecurityContextHolder.getContext()
                .setAuthentication(new UsernamePasswordAuthenticationToken(principal, null, authorities));
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        Problems.write(request, response, new ProblemException(401, "unauthorized", "Unauthorized", detail));
    }
}
