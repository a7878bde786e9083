package io.mailtrail.web;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run by {@link HttpExportHeapTest} in a child JVM with a small heap: {@link TestHub}'s application
 * (Tomcat, Spring Security, {@code mailtrail-web}) on the database {@code args[0]}; prints
 * {@code PORT <n>} once it serves. Exits with 3 after {@link #MAX_RUN_MILLIS} should nobody stop
 * it, so it never outlives a build.
 */
public final class ExportServerChild {

    private static final long MAX_RUN_MILLIS = 300_000;

    private ExportServerChild() {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestHub.App.class)
                .properties("spring.datasource.url=" + args[0], "server.port=0", "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .logStartupInfo(false).run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        System.out.println("PORT " + port + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.flush();
        Thread.sleep(MAX_RUN_MILLIS);
        System.exit(3);
    }
}
