package io.mailtrail.sample.hub.web;

import io.mailtrail.core.capture.ActivityContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves the acting user of an API request ({@code X-User} header, else the page's cookie) and
 * binds it to Mailtrail's {@link ActivityContext} for the request, so the user events the
 * request causes carry its {@code user_id} and {@code created_by}. Also hands the
 * {@link Caller} to controller methods that ask for one.
 */
class CallerInterceptor implements HandlerInterceptor, HandlerMethodArgumentResolver {

    static final String HEADER = "X-User";
    static final String COOKIE = "mailtrail_user";
    private static final String CALLER = CallerInterceptor.class.getName() + ".caller";
    private static final String SCOPE = CallerInterceptor.class.getName() + ".scope";

    private final HubQueries queries;

    CallerInterceptor(HubQueries queries) {
        this.queries = queries;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String name = request.getHeader(HEADER);
        if ((name == null || name.isBlank()) && request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (COOKIE.equals(cookie.getName())) {
                    name = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
                }
            }
        }
        Caller caller = Caller.ANONYMOUS;
        if (name != null && !name.isBlank()) {
            caller = queries.user(name.strip())
                    .orElseThrow(() -> new BadRequestException("unknown user '" + request.getHeader(HEADER) + "'"));
        }
        request.setAttribute(CALLER, caller);
        request.setAttribute(SCOPE, ActivityContext.actAs(caller.userId(), caller.username()));
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(SCOPE) instanceof ActivityContext.Scope scope) {
            scope.close();
        }
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object caller = webRequest.getAttribute(CALLER, NativeWebRequest.SCOPE_REQUEST);
        return caller != null ? caller : Caller.ANONYMOUS;
    }
}
