package io.orderhub.security;

import io.orderhub.HubProperties;
import io.orderhub.ops.HttpConventionsFilter;
import io.orderhub.ops.RequestLogFilter;
import io.orderhub.tenants.TenantRepository;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import jakarta.servlet.DispatcherType;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/** The web security layer: API keys and the operator token for the APIs, the ops login for operations. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

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
                .addFilterBefore(new BearerAuthenticationFilter(tenants, credentials), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        // the route answers on an async dispatch of the request the filter already authorised
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .anyRequest()
                        .authenticated());
        return http.build();
    }

    /** Operations: bare health is open to probes; everything else takes the ops login. */
    @Bean
    @Order(2)
    SecurityFilterChain opsChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(
                                "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                        .permitAll()
                        .anyRequest()
                        .hasRole("OPS"))
                .httpBasic(b -> {})
                .formLogin(f -> {});
        return http.build();
    }

    @Bean
    UserDetailsService opsUsers(HubCredentials credentials) {
        return new InMemoryUserDetailsManager(User.withUsername(credentials.opsUser())
                .password("{bcrypt}" + credentials.opsPasswordBcrypt())
                .roles("OPS")
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
        FilterRegistrationBean<HttpConventionsFilter> bean =
                new FilterRegistrationBean<>(new HttpConventionsFilter(hub.http().maxBodySize().toBytes()));
        // after authentication: an anonymous caller must not make the hub buffer a body
        bean.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return bean;
    }
}
