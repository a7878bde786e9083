package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.core.event.EmailEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An error event keeps the application's frames and counts the framework's, as error trackers do:
 * the trace below is the shape of a failure in a controller under Spring Security and Tomcat.
 */
class StackFramesTest {

    private static final StackTraceElement[] UNDER_SPRING_MVC = {
        frame("com.acme.billing.InvoiceParser", "parse"),
        frame("com.acme.billing.InvoiceService$$SpringCGLIB$$0", "parse"),
        frame("org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor", "intercept"),
        frame("com.acme.web.InvoiceController", "upload"),
        frame("jdk.internal.reflect.DirectMethodHandleAccessor", "invoke"),
        frame("java.lang.reflect.Method", "invoke"),
        frame("org.springframework.web.method.support.InvocableHandlerMethod", "doInvoke"),
        frame("org.springframework.web.servlet.DispatcherServlet", "doDispatch"),
        frame("org.springframework.web.servlet.FrameworkServlet", "service"),
        frame("jakarta.servlet.http.HttpServlet", "service"),
        frame("org.apache.catalina.core.ApplicationFilterChain", "doFilter"),
        frame("org.springframework.security.web.FilterChainProxy", "doFilter"),
        frame("org.springframework.web.filter.DelegatingFilterProxy", "doFilter"),
        frame("com.acme.web.TenantFilter", "doFilter"),
        frame("org.apache.catalina.core.StandardWrapperValve", "invoke"),
        frame("org.apache.catalina.connector.CoyoteAdapter", "service"),
        frame("org.apache.coyote.http11.Http11Processor", "service"),
        frame("org.apache.tomcat.util.net.NioEndpoint$SocketProcessor", "doRun"),
        frame("java.util.concurrent.ThreadPoolExecutor", "runWorker"),
        frame("java.lang.Thread", "run")};

    @Test
    void byDefaultTheApplicationsFramesAreKeptAndTheFrameworksCounted() {
        StackFrames.Trace trace = StackFrames.of(thrown(UNDER_SPRING_MVC), "bad invoice", 20, InAppFrames.defaults());

        assertThat(trace.text()).isEqualTo("""
                java.lang.IllegalStateException: bad invoice
                \tat com.acme.billing.InvoiceParser.parse(Source.java:1)
                \tat com.acme.web.InvoiceController.upload(Source.java:1)
                \tat com.acme.web.TenantFilter.doFilter(Source.java:1)
                \t... 17 framework frames omitted""");
        assertThat(trace.skipped()).isEqualTo(17);
    }

    @Test
    void configuredPackagesAreTheOnlyOnesKept() {
        StackFrames.Trace trace = StackFrames.of(thrown(UNDER_SPRING_MVC), "bad invoice", 20,
                new InAppFrames(List.of("com.acme.web")));

        // The frame that threw is kept too, so the trace still says where it broke.
        assertThat(trace.text()).isEqualTo("""
                java.lang.IllegalStateException: bad invoice
                \tat com.acme.billing.InvoiceParser.parse(Source.java:1)
                \tat com.acme.web.InvoiceController.upload(Source.java:1)
                \tat com.acme.web.TenantFilter.doFilter(Source.java:1)
                \t... 17 framework frames omitted""");
        assertThat(StackFrames.of(thrown(UNDER_SPRING_MVC), "", 20, new InAppFrames(List.of("com.acme.billing")))
                .text()).isEqualTo("""
                java.lang.IllegalStateException
                \tat com.acme.billing.InvoiceParser.parse(Source.java:1)
                \t... 19 framework frames omitted""");
    }

    @Test
    void aPackageMatchesWholeNamesOnly() {
        InAppFrames acme = new InAppFrames(List.of("com.acme", " org.example. "));

        assertThat(acme.isInApp("com.acme.Hub")).isTrue();
        assertThat(acme.isInApp("com.acme.deep.Hub")).isTrue();
        assertThat(acme.isInApp("org.example.Hub")).isTrue();
        assertThat(acme.isInApp("com.acmecorp.Hub")).isFalse();
        assertThat(acme.isInApp("com.acme.Hub$$SpringCGLIB$$0")).isFalse();
        assertThat(InAppFrames.defaults().isInApp("io.mailtrail.sample.hub.HubService")).isTrue();
        assertThat(InAppFrames.defaults().isInApp("io.mailtrail.core.capture.EventAssembler")).isFalse();
    }

    @Test
    void theCapLimitsTheKeptFramesAndCountsTheRest() {
        StackFrames.Trace trace = StackFrames.of(thrown(UNDER_SPRING_MVC), "x", 2, InAppFrames.defaults());

        assertThat(trace.text()).endsWith("""
                \tat com.acme.web.InvoiceController.upload(Source.java:1)
                \t... 1 more
                \t... 17 framework frames omitted""");
    }

    @Test
    void withNoFrameOfTheApplicationTheFirstFramesAreKeptLessThePlumbing() {
        StackTraceElement[] library = {
            frame("java.lang.Integer", "parseInt"),
            frame("java.lang.reflect.Method", "invoke"),
            frame("org.springframework.web.servlet.DispatcherServlet", "doDispatch"),
            frame("java.lang.Thread", "run")};

        StackFrames.Trace trace = StackFrames.of(thrown(library), "x", 20, new InAppFrames(List.of("com.acme")));

        assertThat(trace.text()).isEqualTo("""
                java.lang.IllegalStateException: x
                \tat java.lang.Integer.parseInt(Source.java:1)
                \tat org.springframework.web.servlet.DispatcherServlet.doDispatch(Source.java:1)
                \tat java.lang.Thread.run(Source.java:1)
                \t... 1 framework frame omitted""");
    }

    @Test
    void theCapturePipelineUsesTheConfiguredPackages() {
        List<EmailEvent> events = new CopyOnWriteArrayList<>();
        MailtrailCapture capture = MailtrailCapture.builder(events::add)
                .inAppFrames(new InAppFrames(List.of("com.acme.billing"))).build();
        InvocationCapture invocation = capture.method(Parser.class, "parse(I)V")
                .start(new Parser(), new Object[] {7});

        invocation.end(null, thrown(UNDER_SPRING_MVC));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat((String) e.metadata().get("stack_trace")).isEqualTo("""
                    java.lang.IllegalStateException: boom
                    \tat com.acme.billing.InvoiceParser.parse(Source.java:1)
                    \t... 19 framework frames omitted""");
            assertThat(e.metadata()).containsEntry("frames_skipped", 19);
        });
    }

    public static class Parser {
        @LogsEmailEvent(type = "parsed", emailId = "#p0")
        public void parse(int emailId) {
        }
    }

    private static IllegalStateException thrown(StackTraceElement[] frames) {
        IllegalStateException e = new IllegalStateException("boom");
        e.setStackTrace(frames);
        return e;
    }

    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, "Source.java", 1);
    }
}
