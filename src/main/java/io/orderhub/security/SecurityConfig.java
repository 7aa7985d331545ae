package io.orderhub.security;

import io.orderhub.HubProperties;
import io.orderhub.ops.HttpConventionsFilter;
import io.orderhub.ops.RequestLogFilter;
import io.orderhub.tenants.TenantRepository;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/** The web security layer: API keys and the operator token for the APIs, the ops login for operations. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final String OPS_ROLE = "OPS";

    /** The API chain: stateless bearer tokens, no sessions, no CSRF (no cookies are ever used). */
    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, TenantRepository tenants, HubCredentials credentials)
            throws Exception {
        http.securityMatcher("/api/**", "/admin/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .anonymous(a -> a.disable())
                // a stateless bearer API has no logout and no servlet-API login: fewer filters on every request
                .logout(l -> l.disable())
                .servletApi(a -> a.disable())
                .addFilterBefore(
                        new BearerAuthenticationFilter(tenants, credentials), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        // the route answers on an async dispatch of the request the filter already authorised
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
    }

    /**
     * Operations: bare health is open to probes; everything else (Hawtio, Jolokia, health details, Prometheus,
     * unknown paths) takes the ops login, as a form for browsers and HTTP basic for tools; Prometheus also takes the
     * scrape token.
     */
    @Bean
    @Order(2)
    SecurityFilterChain opsChain(HttpSecurity http, HubCredentials credentials) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher jolokia = new OrRequestMatcher(
                paths.matcher("/actuator/jolokia/**"), paths.matcher("/actuator/hawtio/jolokia/**"));
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("Order Hub operations");
        http.authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(
                                paths.matcher("/actuator/health"),
                                paths.matcher("/actuator/health/liveness"),
                                paths.matcher("/actuator/health/readiness"))
                        .permitAll()
                        .requestMatchers(paths.matcher("/actuator/prometheus"))
                        .hasAnyRole(OPS_ROLE, ScrapeTokenFilter.ROLE)
                        .anyRequest()
                        .hasRole(OPS_ROLE))
                // logging in at /login directly lands in Hawtio
                .formLogin(f -> f.defaultSuccessUrl("/actuator/hawtio/"))
                .httpBasic(b -> b.authenticationEntryPoint(basic))
                .addFilterBefore(new ScrapeTokenFilter(credentials), BasicAuthenticationFilter.class)
                // who gets which login; set per client, not as the one entry point, or Spring drops its login page
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint("/login"), browserPage())
                        // a script in a browser (fetch, XHR) gets a bare 401: no native password dialog pops up
                        .defaultAuthenticationEntryPointFor(
                                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), SecurityConfig::scriptInBrowser)
                        // curl and other tools get the Basic challenge
                        .defaultAuthenticationEntryPointFor(basic, AnyRequestMatcher.INSTANCE))
                // only a page a browser asked for is worth returning to after the login (and worth a session)
                .requestCache(c -> c.requestCache(browserPagesOnly()))
                // Hawtio reads the XSRF-TOKEN cookie and sends it back as X-XSRF-TOKEN on its Jolokia calls
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        // Jolokia runs operations on GET too, so a session's Jolokia GETs need the token as well
                        .requireCsrfProtectionMatcher(new OrRequestMatcher(
                                CsrfFilter.DEFAULT_CSRF_MATCHER,
                                new AndRequestMatcher(jolokia, request -> request.getRequestedSessionId() != null)))
                        // browsers never send Authorization by themselves (form login), so forged requests have none
                        .ignoringRequestMatchers(SecurityConfig::hasAuthorizationHeader))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        return http.build();
    }

    @Bean
    UserDetailsService opsUsers(HubCredentials credentials) {
        return new InMemoryUserDetailsManager(User.withUsername(credentials.opsUser())
                .password("{bcrypt}" + credentials.opsPasswordBcrypt())
                .roles(OPS_ROLE)
                .build());
    }

    @Bean
    FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
        FilterRegistrationBean<RequestLogFilter> bean = new FilterRegistrationBean<>(new RequestLogFilter());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }

    @Bean
    FilterRegistrationBean<HttpConventionsFilter> httpConventionsFilter(HubProperties hub) {
        FilterRegistrationBean<HttpConventionsFilter> bean = new FilterRegistrationBean<>(
                new HttpConventionsFilter(hub.http().maxBodySize().toBytes()));
        // after authentication: an anonymous caller must not make the hub buffer a body
        bean.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return bean;
    }

    private static boolean hasAuthorizationHeader(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    }

    /** A page a browser navigates to (it accepts HTML), as opposed to a script's or a tool's call. */
    private static RequestMatcher browserPage() {
        MediaTypeRequestMatcher html =
                new MediaTypeRequestMatcher(MediaType.TEXT_HTML, MediaType.APPLICATION_XHTML_XML);
        // "*/*" (curl, Prometheus, java.net.http) does not make a client a browser
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return html;
    }

    private static boolean scriptInBrowser(HttpServletRequest request) {
        return request.getHeader("Sec-Fetch-Mode") != null
                || "XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
    }

    private static RequestCache browserPagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(new AndRequestMatcher(request -> "GET".equals(request.getMethod()), browserPage()));
        return cache;
    }

    /**
     * Spring Security's recipe for single-page apps: a token sent in the header is the raw cookie value (what Hawtio
     * sends); a token in a form field (the login form) is the masked one rendered into the page.
     */
    private static final class SpaCsrfTokenRequestHandler extends CsrfTokenRequestAttributeHandler {
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            // masked when rendered into a page, against BREACH
            masked.handle(request, response, token);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? super.resolveCsrfTokenValue(request, token)
                    : masked.resolveCsrfTokenValue(request, token);
        }
    }

    /** Makes the deferred CSRF token real on pages: the XSRF-TOKEN cookie exists before Hawtio's scripts start. */
    private static final class CsrfCookieFilter extends OncePerRequestFilter {
        private final RequestMatcher browserPage = browserPage();

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            // probes, scrapers and tools never use the cookie, so they are not sent one
            if (token != null && browserPage.matches(request)) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
