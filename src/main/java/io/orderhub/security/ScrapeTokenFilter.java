package io.orderhub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets Prometheus present {@code hub.ops.scrape-token} as {@code Authorization: Bearer} instead of the ops login. The
 * caller gets only the {@value #ROLE} role, which the ops chain accepts on {@code /actuator/prometheus} alone.
 */
final class ScrapeTokenFilter extends OncePerRequestFilter {

    static final String ROLE = "SCRAPE";

    private static final String BEARER = "Bearer ";

    private final HubCredentials credentials;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ScrapeTokenFilter(HubCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && credentials.isScrapeToken(header.substring(BEARER.length()).trim())) {
            // this request only: the context is never saved, so no session remembers the scraper
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    "prometheus", null, AuthorityUtils.createAuthorityList("ROLE_" + ROLE)));
            contexts.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
