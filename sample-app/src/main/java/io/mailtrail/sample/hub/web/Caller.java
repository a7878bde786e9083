package io.mailtrail.sample.hub.web;

/**
 * Who is making a request: a row of {@code users}, chosen with the {@code X-User} header or the
 * page's user chooser (cookie {@value CallerInterceptor#COOKIE}), or {@link #ANONYMOUS}.
 */
public record Caller(Integer userId, String username, String displayName) {

    public static final Caller ANONYMOUS = new Caller(null, "anonymous", "anonymous");
}
