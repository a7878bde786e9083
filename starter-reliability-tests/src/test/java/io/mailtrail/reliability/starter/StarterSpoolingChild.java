package io.mailtrail.reliability.starter;

import io.mailtrail.core.writer.AsyncEventWriter;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The child JVM of {@link StarterOutageTest}'s SIGKILL case: a Spring Boot application configured
 * only by its command-line properties ({@code --mailtrail.spool.dir=...}), recording events 0, 1,
 * 2, … (the email id is the sequence number) through the starter's writer until it is killed.
 * Should nobody kill it, it stops by itself after {@link #MAX_RUN_MILLIS} (exit code 3, which the
 * test reports), so it never outlives a build.
 */
public final class StarterSpoolingChild {

    private static final long MAX_RUN_MILLIS = 120_000;

    private StarterSpoolingChild() {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterOutageTest.HubApplication.class)
                .web(WebApplicationType.NONE).run(args);
        AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
        long stopAt = System.currentTimeMillis() + MAX_RUN_MILLIS;
        for (int i = 0; System.currentTimeMillis() < stopAt; i++) {
            writer.record(SteadyLoad.event(i));
            if (i % 1_000 == 999) {
                System.out.println("ACCEPTED " + (i + 1) + " DROPPED " + writer.stats().droppedTotal() + " " + writer.stats());
                System.out.flush();
                // ~10,000 events/s once warm: the worker spools them with room to spare even on a
                // busy two-core machine (a producer that outruns it would see QUEUE_FULL).
                Thread.sleep(i < 5_000 ? 200 : 100);
            }
        }
        System.exit(3); // never killed: the test waited for nothing
    }
}
