package io.mailtrail.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mailtrail.agent.bootstrap.MailtrailDispatch;
import io.mailtrail.core.capture.CaptureSpec;
import io.mailtrail.core.capture.CaptureStats;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.maintenance.MaintenanceSettings;
import io.mailtrail.core.maintenance.PartitionMaintenance;
import io.mailtrail.core.settings.MailtrailAssembly;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.integrity.SealScheduler;
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
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
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
    private final Set<String> validatedShapes = ConcurrentHashMap.newKeySet();
    private MailtrailCapture capture;

    private AgentInstaller(Report report, AgentConfig config) {
        this.report = report;
        this.config = config;
        if (config.report != null) {
            report.alsoTo(config.report);
        }
        this.rules = List.copyOf(usable(config.rules, report));
    }

    /** The rules whose expressions have no syntax error; the others are reported and skipped. */
    private static List<Rule> usable(List<Rule> rules, Report report) {
        List<Rule> usable = new ArrayList<>();
        for (Rule rule : rules) {
            List<String> problems = RuleSyntax.problems(rule.spec());
            if (problems.isEmpty()) {
                usable.add(rule);
            } else {
                report.line("INVALID " + rule.spec().origin() + "(type = \"" + rule.spec().type()
                        + "\") is skipped at start-up: " + String.join("; ", problems));
            }
        }
        return usable;
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
            return AgentConfig.empty(System.getenv(), System.getProperties());
        }
        return AgentConfig.load(Path.of(path), System.getenv(), System.getProperties());
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
        MailtrailSettings settings = config.settings();
        DatabaseSettings database = DatabaseSettings.of(config.bound);
        // "none": instrument, capture and count, but write nothing (like OpenTelemetry's
        // exporter "none"): a dry run of the rules, and the agent's overhead without a database.
        boolean dryRun = settings.database().discarding();
        if (!dryRun && database.url == null) {
            report.line("no usable database URL (none given; set database.url, MAILTRAIL_JDBC_URL or"
                    + " -Dmailtrail.jdbc.url); nothing is instrumented");
            return;
        }
        report.line(dryRun ? "database none: events are captured and counted, then discarded (dry run)"
                : "database " + database);
        SettingsReport.settings(report, config.bound);

        DriverDataSource dataSource = dryRun ? null : new DriverDataSource(database.url, database.user,
                database.password, settings.writer().socketTimeout());
        EventSink sink = MailtrailAssembly.sink(settings, dataSource);
        AsyncEventWriter writer = MailtrailAssembly.writer(settings, sink, "mailtrail-agent-writer");
        SettingsReport.spool(report, settings.spool(), writer);
        capture = MailtrailAssembly.capture(settings, writer)
                .problemReporter(report::problem)
                .runtimeProblemReporter(report::unreadable)
                .specSource(this::specs)
                .build();
        if (!MailtrailDispatch.install(new CaptureHandler(capture))) {
            report.line("already running in this JVM; this start is ignored");
            writer.close(Duration.ZERO);
            return;
        }
        SealScheduler sealer = dryRun || config.integrity == null ? null : new SealScheduler(config.integrity, dataSource);
        if (sealer != null) {
            report.line(sealer.start() ? "sealing the log (integrity), window " + config.integrity.window()
                    : "integrity sealing is OFF: the private key could not be loaded (see the log)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(writer, dryRun, sealer),
                "mailtrail-agent-shutdown"));
        AgentBuilder builder = agentBuilder(attached);
        if (attached) {
            builder.installOn(inst); // retransforms the classes loaded already
        } else {
            // Nothing to retransform at premain: a plain transformer keeps the JVM from retaining
            // every class file for retransformation, and the prefilter spares Byte Buddy the
            // classes that can not match.
            inst.addTransformer(new ClassFilePrefilter(rules, config.annotations).wrap(builder.makeRaw(),
                    (rule, className) -> reportMissingMethod(rule, className, "")), false);
        }
        // Started after the transformer is in place: they load the driver and compile plans, and
        // on a small machine they would otherwise compete with the host's start-up for the CPU.
        if (!dryRun) {
            daemon("mailtrail-agent-dbcheck", () -> checkDatabase(dataSource, database));
            // Off by default: the agent usually logs in as the least-privilege writer, which may
            // not create partitions. The DBA's pg_cron or cron job is the usual runner (docs/dba.md).
            if (maintenanceEnabled()) {
                PartitionMaintenance.start(dataSource::getConnection, MaintenanceSettings.defaults());
                report.line("partition maintenance every " + MaintenanceSettings.DEFAULT_INTERVAL.toMinutes() + " min");
            }
        }
        daemon("mailtrail-agent-validator", this::validateLoop);
        daemon("mailtrail-agent-jmx", () -> {
            String problem = WriterMBean.register(writer);
            if (problem != null) {
                report.line("the writer's counters are not on JMX (" + WriterMBean.NAME + "): " + problem);
            }
        });

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

    /** -Dmailtrail.partitions.maintenance-enabled=true or MAILTRAIL_PARTITIONS_MAINTENANCE_ENABLED=true. */
    private static boolean maintenanceEnabled() {
        String value = System.getProperty("mailtrail.partitions.maintenance-enabled",
                System.getenv("MAILTRAIL_PARTITIONS_MAINTENANCE_ENABLED"));
        return "true".equalsIgnoreCase(value);
    }

    private AgentBuilder agentBuilder(boolean attached) {
        ElementMatcher.Junction<MethodDescription> annotated = isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENT))
                .or(isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENTS)));
        List<ElementMatcher<TypeDescription>> ruleTypes = new ArrayList<>();
        ElementMatcher.Junction<TypeDescription> types = none();
        if (config.annotations) {
            types = types.or(declaresMethod(annotated));
        }
        for (Rule rule : rules) {
            ElementMatcher<TypeDescription> ruleType = rule.typeMatcher();
            ruleTypes.add(ruleType);
            types = types.or(ruleType);
        }
        Advice advice = Advice.to(MailtrailAdvice.class);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(attached ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                // Advice only visits existing methods: no method graph of the type hierarchy needed.
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new CachingPoolStrategy())
                // The cached descriptions resolve through these locators: they must not hold a
                // (redeployed) class loader strongly, or the weak keys above would never clear.
                .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
                        report.transformError(typeName, throwable);
                    }
                })
                // Name-only matchers: they need no parse of the class file.
                .ignore(any(), isBootstrapClassLoader())
                .or(nameStartsWith("net.bytebuddy.").or(nameStartsWith("io.mailtrail.agent."))
                        .or(nameStartsWith("java.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")))
                .type(types.and(not(isSynthetic())))
                .transform((builder, type, loader, module, domain) -> {
                    List<Rule> typeRules = new ArrayList<>();
                    for (int i = 0; i < rules.size(); i++) {
                        if (ruleTypes.get(i).matches(type)) {
                            typeRules.add(rules.get(i));
                        }
                    }
                    ElementMatcher<MethodDescription> methods = method -> selected(method, annotated, typeRules);
                    boolean validate = false;
                    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                        if (selected(method, annotated, typeRules)) {
                            validate |= describeMatch(type, method, annotated, typeRules);
                        }
                    }
                    reportMissingMethods(type, typeRules);
                    if (validate) {
                        toValidate.add(new Object[] {new WeakReference<>(loader), type.getName()});
                    }
                    return builder.visit(advice.on(methods));
                });
    }

    /**
     * A rule naming this class exactly, whose method the class does not declare: said when the
     * class loads, with the methods of that name it does have, instead of only in the summary.
     */
    private void reportMissingMethods(TypeDescription type, List<Rule> typeRules) {
        for (Rule rule : typeRules) {
            if (!rule.isExact()) {
                continue;
            }
            StringJoiner sameName = new StringJoiner(", ");
            boolean found = false;
            for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                found |= rule.matches(method);
                if (method.getName().equals(rule.method())) {
                    StringJoiner parameters = new StringJoiner(", ", method.getName() + "(", ")");
                    method.getParameters().forEach(p -> parameters.add(p.getType().asErasure().getSimpleName()));
                    sameName.add(parameters.toString());
                }
            }
            if (!found) {
                reportMissingMethod(rule, type.getName(), sameName.length() == 0 ? "" : " (it has " + sameName + ")");
            }
        }
    }

    private void reportMissingMethod(Rule rule, String className, String has) {
        if (validatedShapes.add("missing " + rule.name() + " " + className)) {
            report.line("INVALID rule '" + rule.name() + "': class " + className + " has no method "
                    + rule.methodPart() + has + "; the rule matches nothing there");
        }
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

    /**
     * Reports the match; returns whether the class should be validated: always for annotated
     * methods, once per rule and method shape (descriptor and parameter names) otherwise, since
     * a rule's expressions compile the same against every method of that shape.
     */
    private boolean describeMatch(TypeDescription type, MethodDescription method,
            ElementMatcher<MethodDescription> annotated, List<Rule> typeRules) {
        StringJoiner signature = new StringJoiner(", ", type.getName() + "." + method.getName() + "(", ")");
        method.getParameters().forEach(p -> signature.add(p.getType().asErasure().getSimpleName()));
        if (config.annotations && annotated.matches(method)) {
            report.annotated(signature.toString());
            for (Rule rule : typeRules) {
                if (rule.matches(method)) {
                    report.line("rule '" + rule.name() + "' also matches " + signature
                            + "; the @LogsEmailEvent annotation wins, the rule is not applied there");
                }
            }
            return true;
        }
        boolean validate = false;
        StringJoiner shape = new StringJoiner(",", method.getDescriptor(), "");
        method.getParameters().forEach(p -> shape.add(p.isNamed() ? p.getName() : "?"));
        for (Rule rule : typeRules) {
            if (rule.matches(method)) {
                report.matched(rule, signature.toString());
                validate |= validatedShapes.add(rule.name() + " " + shape);
            }
        }
        return validate;
    }

    /** The spec source of the capture pipeline: the host's annotations, then the matching rules. */
    private List<CaptureSpec> specs(Method method) {
        List<CaptureSpec> specs = new ArrayList<>();
        if (config.annotations) {
            try {
                specs.addAll(AnnotationSpecs.of(method));
            } catch (RuntimeException e) {
                report.line("could not read @LogsEmailEvent of " + method + " (skipped): " + e);
            }
        }
        if (!specs.isEmpty()) {
            return withParameterNames(method, specs); // the annotation wins over any rule
        }
        for (Rule rule : rules) {
            if (rule.matches(method)) {
                specs.add(rule.spec());
            }
        }
        return specs.isEmpty() ? specs : withParameterNames(method, specs);
    }

    private static List<CaptureSpec> withParameterNames(Method method, List<CaptureSpec> specs) {
        List<String> names = ParameterNames.of(method);
        if (!names.isEmpty()) {
            specs.replaceAll(spec -> spec.withParameterNames(names));
        }
        return specs;
    }

    /**
     * Compiles the plans of each instrumented class soon after it is defined, so that an invalid
     * expression shows in the report at start-up rather than on the first call. Runs on its own
     * thread: the transformer runs while the class is being defined, before it exists.
     */
    private void validateLoop() {
        List<Object[]> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(toValidate.take());
                Thread.sleep(100); // let the definitions that queued them finish; take what came meanwhile
            } catch (InterruptedException e) {
                return;
            }
            toValidate.drainTo(batch);
            for (Object[] next : batch) {
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
            batch.clear();
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

    private void shutdown(AsyncEventWriter writer, boolean dryRun, SealScheduler sealer) {
        try {
            if (sealer != null) {
                sealer.close(Duration.ofSeconds(1));
            }
            report.summary("at shutdown");
            Duration deadline = config.settings().writer().shutdownTimeout();
            boolean done = writer.close(deadline);
            WriterStats w = writer.stats();
            CaptureStats c = capture.stats();
            String outcome = dryRun ? "database none, all events discarded after counting"
                    : done ? (w.spooled() > 0 ? "all events written or spooled" : "all events written")
                    : "deadline of " + deadline.toMillis() + " ms reached";
            report.line("shutdown: " + outcome + "; captured " + c.recorded()
                    + (dryRun ? ", discarded " + w.written() : ", written " + w.written())
                    + (w.spooled() > 0 ? ", spooled " + w.spooled() + " (written by the next start on this spool)" : "")
                    + ", dropped " + w.dropped()
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

    /**
     * One type pool cache per class loader, so that the super types an {@code implements} rule
     * resolves (and {@code java.lang.Object}) are parsed once per loader rather than once per
     * loaded class. Weak keys: a redeployed loader is not kept alive; soft values: the cache gives
     * way under memory pressure.
     */
    private static final class CachingPoolStrategy extends AgentBuilder.PoolStrategy.WithTypePoolCache {

        private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();
        private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple.UsingSoftReference();

        CachingPoolStrategy() {
            super(TypePool.Default.ReaderMode.FAST);
        }

        @Override
        protected TypePool.CacheProvider locate(ClassLoader loader) {
            if (loader == null) {
                return bootstrap;
            }
            synchronized (byLoader) {
                return byLoader.computeIfAbsent(loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
            }
        }
    }
}
