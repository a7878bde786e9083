package io.mailtrail.agent.internal;

import io.mailtrail.agent.bootstrap.MailtrailDispatch;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.integrity.SealScheduler;
import io.mailtrail.core.maintenance.MaintenanceSettings;
import io.mailtrail.core.maintenance.PartitionMaintenance;
import io.mailtrail.core.settings.MailtrailAssembly;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Everything {@code premain}/{@code agentmain} do, once the dispatcher is on the bootstrap path:
 * read the configuration, build the writer and the capture pipeline, install the dispatcher's
 * handler, the sealer and the shutdown hook, then let Byte Buddy instrument (and, when attached
 * late, retransform) the matching classes. Throws nothing: {@link #install} reports and returns.
 *
 * <p>This class only orders the start-up; each step has its own room: {@link SpecSource} (what a
 * method records), {@link AgentTransformation} (the Byte Buddy set-up and matching),
 * {@link PlanValidator} (compiling plans off the class-loading thread), {@link DatabaseCheck} and
 * {@link AgentShutdown}.
 */
public final class AgentInstaller {

    private final Report report;
    private final AgentConfig config;
    private final List<Rule> rules;

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
        // Kafka: events go to a topic and an ingester writes them; this JVM needs no database.
        boolean kafka = settings.kafka().enabled();
        boolean noDatabase = dryRun || kafka;
        if (!noDatabase && database.url == null) {
            report.line("no usable database URL (none given; set database.url, MAILTRAIL_JDBC_URL or"
                    + " -Dmailtrail.jdbc.url); nothing is instrumented");
            return;
        }
        report.line(kafka ? "kafka " + settings.kafka().bootstrapServers() + ", topic " + settings.kafka().topic()
                        + " (no database here: an ingester writes the events)"
                : dryRun ? "database none: events are captured and counted, then discarded (dry run)"
                : "database " + database);
        SettingsReport.settings(report, config.bound);

        DriverDataSource dataSource = noDatabase ? null : new DriverDataSource(database.url, database.user,
                database.password, settings.writer().socketTimeout());
        EventSink sink = MailtrailAssembly.sink(settings, dataSource);
        AsyncEventWriter writer = MailtrailAssembly.writer(settings, sink, "mailtrail-agent-writer");
        SettingsReport.spool(report, settings.spool(), writer);
        MailtrailCapture capture = MailtrailAssembly.capture(settings, writer)
                .problemReporter(report::problem)
                .runtimeProblemReporter(report::unreadable)
                .specSource(new SpecSource(report, config.annotations, rules)::specs)
                .traceSource(new HostTraceSource())
                .build();
        if (!MailtrailDispatch.install(new CaptureHandler(capture))) {
            report.line("already running in this JVM; this start is ignored");
            writer.close(Duration.ZERO);
            return;
        }
        SealScheduler sealer = noDatabase || config.integrity == null ? null : new SealScheduler(config.integrity, dataSource);
        if (sealer != null) {
            report.line(sealer.start() ? "sealing the log (integrity), window " + config.integrity.window()
                    + (config.integrity.tsaUrl() == null ? "" : ", time-stamping checkpoints at " + config.integrity.tsaUrl())
                    : "integrity sealing is OFF: the private key could not be loaded (see the log)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new AgentShutdown(report, writer, capture,
                settings.writer().shutdownTimeout(), dryRun, sealer), "mailtrail-agent-shutdown"));
        PlanValidator validator = new PlanValidator(capture);
        AgentTransformation transformation = new AgentTransformation(report, config.annotations, rules, validator);
        AgentBuilder builder = transformation.agentBuilder(attached);
        if (attached) {
            builder.installOn(inst); // retransforms the classes loaded already
        } else {
            // Nothing to retransform at premain: a plain transformer keeps the JVM from retaining
            // every class file for retransformation, and the prefilter spares Byte Buddy the
            // classes that can not match.
            inst.addTransformer(new ClassFilePrefilter(rules, config.annotations).wrap(builder.makeRaw(),
                    (rule, className) -> transformation.reportMissingMethod(rule, className, "")), false);
        }
        // Started after the transformer is in place: they load the driver and compile plans, and
        // on a small machine they would otherwise compete with the host's start-up for the CPU.
        if (!noDatabase) {
            daemon("mailtrail-agent-dbcheck", () -> DatabaseCheck.run(report, dataSource, database));
            // Off by default: the agent usually logs in as the least-privilege writer, which may
            // not create partitions. The DBA's pg_cron or cron job is the usual runner (docs/dba.md).
            if (maintenanceEnabled()) {
                PartitionMaintenance.start(dataSource::getConnection, MaintenanceSettings.defaults());
                report.line("partition maintenance every " + MaintenanceSettings.DEFAULT_INTERVAL.toMinutes() + " min");
            }
        }
        daemon("mailtrail-agent-validator", validator);
        daemon("mailtrail-agent-jmx", () -> {
            String problem = WriterMBean.register(writer);
            if (problem != null) {
                report.line("the writer's counters are not on JMX (" + WriterMBean.NAME + "): " + problem);
            }
            String sealerProblem = sealer == null ? null : SealerMBean.register(sealer);
            if (sealerProblem != null) {
                report.line("the sealer's state is not on JMX (" + SealerMBean.NAME + "): " + sealerProblem);
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

    /** -Dmailtrail.partitions.maintenance-enabled=true or MAILTRAIL_PARTITIONS_MAINTENANCE_ENABLED=true. */
    private static boolean maintenanceEnabled() {
        String value = System.getProperty("mailtrail.partitions.maintenance-enabled",
                System.getenv("MAILTRAIL_PARTITIONS_MAINTENANCE_ENABLED"));
        return "true".equalsIgnoreCase(value);
    }
}
