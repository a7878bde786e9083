package io.mailtrail.sample.hub.security;

import io.mailtrail.web.JsonErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Real sign-in: a form for the page, HTTP Basic for API clients, one session for both.
 * An API request without a session or credentials gets a 401 with a JSON reason (no redirect to
 * the form); a page request is sent to the form.
 *
 * <p>CSRF: the page sends the token from the {@code XSRF-TOKEN} cookie with its uploads. Requests
 * that carry their own {@code Authorization} header are exempt: a browser attaches no such header
 * to a forged cross-site request.
 */
@Configuration(proxyBeanMethods = false)
class HubSecurity {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain hubFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher api = request -> path(request).startsWith("/api/");
        RequestMatcher ownCredentials = request -> request.getHeader("Authorization") != null;
        CsrfTokenRequestAttributeHandler plainToken = new CsrfTokenRequestAttributeHandler();
        plainToken.setCsrfRequestAttributeName(null); // the token is loaded on every request, so the cookie is set
        return http
                .authorizeHttpRequests(a -> a.requestMatchers("/login", "/app.css", "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.defaultSuccessUrl("/", true))
                .httpBasic(Customizer.withDefaults())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(plainToken).ignoringRequestMatchers(ownCredentials))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor((request, response, ex) -> JsonErrorResponses.write(response,
                                HttpStatus.UNAUTHORIZED, "sign in: HTTP Basic with a hub user, or the page's form"), api)
                        .defaultAccessDeniedHandlerFor((request, response, ex) -> JsonErrorResponses.write(response,
                                HttpStatus.FORBIDDEN, "this request is not allowed (a missing CSRF token?)"), api))
                .build();
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
