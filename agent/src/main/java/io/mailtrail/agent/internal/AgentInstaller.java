package io.mailtrail.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;

import io.mailtrail.agent.bootstrap.MailtrailDispatch;
import io.mailtrail.core.capture.CaptureSpec;
import io.mailtrail.core.capture.CaptureStats;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.capture.Redaction;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Everything {@code premain}/{@code agentmain} do, once the dispatcher is on the bootstrap path:
 * read the configuration, build the writer and the capture pipeline, install the dispatcher's
 * handler and the shutdown hook, then let Byte Buddy instrument (and, when attached late,
 * retransform) the matching classes. Throws nothing: {@link #install} reports and returns.
 */
public final class AgentInstaller {

    private final Report report;
    private final AgentConfig config;
    private final List<Rule> rules;
    private final BlockingQueue<Object[]> toValidate = new LinkedBlockingQueue<>();
    private MailtrailCapture capture;

    private AgentInstaller(Report report, AgentConfig config) {
        this.report = report;
        this.config = config;
        this.rules = List.copyOf(config.rules);
    }

    /** Called reflectively by {@code MailtrailAgent}. */
    public static void install(String args, Instrumentation inst, boolean attached) {
        long start = System.nanoTime();
        Report report = new Report(System.err);
        try {
            AgentConfig config = configFrom(args, report);
            new AgentInstaller(report, config).install(inst, attached, start);
        } catch (Throwable t) {
            report.line("could not start; the application runs uninstrumented: " + t);
        }
    }

    private static AgentConfig configFrom(String args, Report report) {
        String path = null;
        if (args != null && !args.isBlank()) {
            for (String arg : args.split(",")) {
                String trimmed = arg.trim();
                if (trimmed.startsWith("config=")) {
                    path = trimmed.substring("config=".length());
                } else if (!trimmed.isEmpty()) {
                    report.line("CONFIG unknown agent argument '" + trimmed + "' ignored (known: config=<file>)");
                }
            }
        }
        if (path == null) {
            path = System.getenv("MAILTRAIL_AGENT_CONFIG");
        }
        if (path == null || path.isBlank()) {
            report.line("CONFIG no configuration file (config=<file>); only @LogsEmailEvent methods are instrumented");
            return AgentConfig.empty();
        }
        return AgentConfig.load(Path.of(path));
    }

    private void install(Instrumentation inst, boolean attached, long start) {
        report.line("Mailtrail agent starting (" + (attached ? "attached at run time" : "-javaagent") + "), "
                + (config.file == null ? "no configuration file" : "configuration " + config.file));
        config.problems().forEach(p -> report.line("CONFIG " + p));
        if (config.rulesInFile > 0 || !rules.isEmpty()) {
            report.line(rules.size() + " of " + config.rulesInFile + " rule(s) usable"
                    + (rules.size() < config.rulesInFile ? "; the others are skipped (see above)" : ""));
        }
        report.rules(rules);
        if (MailtrailDispatch.installed()) {
            report.line("already running in this JVM; this start is ignored");
            return;
        }
        DatabaseSettings database = DatabaseSettings.resolve(config.database, System.getenv(), System.getProperties());
        if (database.url == null || !database.url.startsWith("jdbc:postgresql:")) {
            report.line("no usable database URL (" + (database.url == null ? "none given" : "not jdbc:postgresql:")
                    + "; set database.url, MAILTRAIL_JDBC_URL or -Dmailtrail.jdbc.url); nothing is instrumented");
            return;
        }
        report.line("database " + database);

        DriverDataSource dataSource = new DriverDataSource(database.url, database.user, database.password);
        AsyncEventWriter writer = AsyncEventWriter.builder(PostgresEventSink.builder().dataSource(dataSource).build())
                .threadName("mailtrail-agent-writer")
                .build();
        capture = MailtrailCapture.builder(writer)
                .limits(config.limits)
                .redaction(Redaction.defaults().with(config.redact.toArray(String[]::new)))
                .problemReporter(report::problem)
                .specSource(this::specs)
                .build();
        if (!MailtrailDispatch.install(new CaptureHandler(capture))) {
            report.line("already running in this JVM; this start is ignored");
            writer.close(Duration.ZERO);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(writer), "mailtrail-agent-shutdown"));
        daemon("mailtrail-agent-dbcheck", () -> checkDatabase(dataSource, database));
        daemon("mailtrail-agent-validator", this::validateLoop);

        agentBuilder().installOn(inst);

        report.line("started in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; "
                + rules.size() + " rule(s), @LogsEmailEvent " + (config.annotations ? "on" : "off"));
        if (attached) {
            report.summary("after retransforming the loaded classes");
        } else {
            daemon("mailtrail-agent-report", () -> {
                sleep(config.reportDelay);
                report.summary("after " + config.reportDelay.toMillis() + " ms");
            });
        }
    }

    private AgentBuilder agentBuilder() {
        ElementMatcher.Junction<MethodDescription> annotated = isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENT))
                .or(isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENTS)));
        ElementMatcher.Junction<TypeDescription> types = none();
        if (config.annotations) {
            types = types.or(declaresMethod(annotated));
        }
        for (Rule rule : rules) {
            types = types.or(rule.typeMatcher());
        }
        Advice advice = Advice.to(MailtrailAdvice.class);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
                        report.transformError(typeName, throwable);
                    }
                })
                .ignore(any(), isBootstrapClassLoader())
                .or(nameStartsWith("net.bytebuddy.").or(nameStartsWith("io.mailtrail.agent."))
                        .or(nameStartsWith("java.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")).or(isSynthetic()))
                .type(types)
                .transform((builder, type, loader, module, domain) -> {
                    List<Rule> typeRules = new ArrayList<>();
                    for (Rule rule : rules) {
                        if (rule.typeMatcher().matches(type)) {
                            typeRules.add(rule);
                        }
                    }
                    ElementMatcher<MethodDescription> methods = method -> selected(method, annotated, typeRules);
                    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                        if (selected(method, annotated, typeRules)) {
                            describeMatch(type, method, annotated, typeRules);
                        }
                    }
                    toValidate.add(new Object[] {new WeakReference<>(loader), type.getName()});
                    return builder.visit(advice.on(methods));
                });
    }

    private boolean selected(MethodDescription method, ElementMatcher<MethodDescription> annotated, List<Rule> typeRules) {
        if (!method.isMethod() || method.isAbstract() || method.isNative()) {
            return false;
        }
        if (config.annotations && annotated.matches(method)) {
            return true;
        }
        for (Rule rule : typeRules) {
            if (rule.matches(method)) {
                return true;
            }
        }
        return false;
    }

    private void describeMatch(TypeDescription type, MethodDescription method,
            ElementMatcher<MethodDescription> annotated, List<Rule> typeRules) {
        StringJoiner signature = new StringJoiner(", ", type.getName() + "." + method.getName() + "(", ")");
        method.getParameters().forEach(p -> signature.add(p.getType().asErasure().getSimpleName()));
        if (config.annotations && annotated.matches(method)) {
            report.annotated(signature.toString());
        }
        for (Rule rule : typeRules) {
            if (rule.matches(method)) {
                report.matched(rule, signature.toString());
            }
        }
    }

    /** The spec source of the capture pipeline: the host's annotations, then the matching rules. */
    private List<CaptureSpec> specs(Method method) {
        List<CaptureSpec> specs = new ArrayList<>();
        if (config.annotations) {
            try {
                specs.addAll(AnnotationSpecs.of(method));
            } catch (ReflectiveOperationException | RuntimeException e) {
                report.line("could not read @LogsEmailEvent of " + method + " (skipped): " + e);
            }
        }
        for (Rule rule : rules) {
            if (rule.matches(method)) {
                specs.add(rule.spec());
            }
        }
        if (!specs.isEmpty()) {
            List<String> names = ParameterNames.of(method);
            if (!names.isEmpty()) {
                specs.replaceAll(spec -> spec.withParameterNames(names));
            }
        }
        return specs;
    }

    /**
     * Compiles the plans of each instrumented class soon after it is defined, so that an invalid
     * expression shows in the report at start-up rather than on the first call. Runs on its own
     * thread: the transformer runs while the class is being defined, before it exists.
     */
    private void validateLoop() {
        while (true) {
            Object[] next;
            try {
                next = toValidate.take();
                Thread.sleep(20); // let the definition that queued it finish
            } catch (InterruptedException e) {
                return;
            }
            ClassLoader loader = (ClassLoader) ((WeakReference<?>) next[0]).get();
            if (loader == null) {
                continue;
            }
            try {
                capture.validate(Class.forName((String) next[1], false, loader));
            } catch (Throwable e) {
                // Not loadable by name from here (e.g. defined through a Lookup): compiled on first call instead.
            }
        }
    }

    private void checkDatabase(DriverDataSource dataSource, DatabaseSettings database) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('email_activity_log') IS NOT NULL")) {
            rs.next();
            report.line(rs.getBoolean(1) ? "database reachable; table email_activity_log found"
                    : "database reachable but table email_activity_log is missing (apply the mailtrail-schema"
                            + " migrations); events will be dropped as rejected");
        } catch (SQLException | RuntimeException e) {
            report.line("database NOT reachable (" + DatabaseSettings.masked(database.url) + (database.user == null ? ""
                    : ", user " + database.user) + "): " + e.getMessage()
                    + "; events are queued and retried in the background, the application is unaffected");
        }
    }

    private void shutdown(AsyncEventWriter writer) {
        try {
            report.summary("at shutdown");
            boolean done = writer.close(config.shutdownTimeout);
            WriterStats w = writer.stats();
            CaptureStats c = capture.stats();
            report.line("shutdown: " + (done ? "all events written" : "deadline of "
                    + config.shutdownTimeout.toMillis() + " ms reached") + "; captured " + c.recorded()
                    + ", written " + w.written() + ", dropped " + w.dropped()
                    + (c.failed() + c.skippedNoEmailId() > 0 ? ", capture failures " + c.failed()
                            + ", without email id " + c.skippedNoEmailId() : ""));
        } catch (Throwable t) {
            report.line("shutdown failed: " + t);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
