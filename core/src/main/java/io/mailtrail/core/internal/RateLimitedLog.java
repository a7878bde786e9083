package io.mailtrail.core.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Internal: not an API. Logs a recurring problem once per interval and key, so an unreachable database or a full
 * queue is visible without flooding the host application's log at thousands of lines a second.
 */
public final class RateLimitedLog {

    private final System.Logger logger;
    private final long intervalNanos;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public RateLimitedLog(System.Logger logger, Duration interval) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
    }

    public void warn(String key, Supplier<String> message) {
        long now = System.nanoTime();
        Long previous = lastLogged.get(key);
        if (previous != null && now - previous < intervalNanos) {
            return;
        }
        if (previous == null ? lastLogged.putIfAbsent(key, now) == null : lastLogged.replace(key, previous, now)) {
            logger.log(Level.WARNING, message.get());
        }
    }
}
