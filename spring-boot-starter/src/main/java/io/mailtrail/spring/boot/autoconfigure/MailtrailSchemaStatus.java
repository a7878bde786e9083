package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.postgres.SchemaCheck;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Checks at start-up whether Mailtrail's table exists, and says so: a missing table is logged as
 * an ERROR with the way to create it ({@link SchemaCheck#missingTable}) and shown as the health's
 * reason; a database that can not be reached is a WARN of its own (the writer keeps the events and
 * retries). The check runs on a thread of its own and start-up waits for it at most
 * {@link #STARTUP_WAIT}, so a database that is down never holds the application up.
 */
final class MailtrailSchemaStatus implements SmartInitializingSingleton {

    /** How long start-up waits for the answer; the check goes on in the background after it. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(2);
    /** How often, at most, a missing table is asked about again (the health asks for it). */
    private static final long RECHECK_NANOS = Duration.ofSeconds(5).toNanos();

    private static final Log logger = LogFactory.getLog(MailtrailSchemaStatus.class);

    private final Supplier<SchemaCheck.Result> check;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile SchemaCheck.Result last;
    private volatile long lastCheckNanos;

    /** @param check asks the database; answers null when there is no table to check (a sink of the application's) */
    MailtrailSchemaStatus(Supplier<SchemaCheck.Result> check) {
        this.check = check;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Thread thread = startCheck(true);
        if (thread != null) {
            try {
                thread.join(STARTUP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The last answer, null while none is known. A missing table is asked about again in the
     * background (at most every 5 s), so the health recovers once the table is created.
     */
    SchemaCheck.Result current() {
        SchemaCheck.Result result = last;
        if (result != null && result.state() == SchemaCheck.State.MISSING
                && System.nanoTime() - lastCheckNanos > RECHECK_NANOS) {
            startCheck(false);
        }
        return result;
    }

    private Thread startCheck(boolean atStartup) {
        if (!checking.compareAndSet(false, true)) {
            return null;
        }
        Thread thread = new Thread(() -> run(atStartup), "mailtrail-schema-check");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void run(boolean atStartup) {
        try {
            SchemaCheck.Result result = check.get();
            if (result == null) {
                return; // a sink that is not PostgreSQL: nothing to check
            }
            SchemaCheck.Result previous = last;
            last = result;
            lastCheckNanos = System.nanoTime();
            if (result.state() == SchemaCheck.State.MISSING && atStartup) {
                logger.error(result.reason());
            } else if (result.state() == SchemaCheck.State.UNREACHABLE && atStartup) {
                logger.warn("Mailtrail could not check its table at start-up (" + result.reason() + "); events are"
                        + " kept and written once the database answers");
            } else if (result.state() == SchemaCheck.State.PRESENT && previous != null
                    && previous.state() == SchemaCheck.State.MISSING) {
                logger.info("Mailtrail: " + result.reason() + " now");
            }
        } catch (RuntimeException e) {
            logger.debug("Mailtrail: the check of its table failed", e);
        } finally {
            checking.set(false);
        }
    }
}
