package io.mailtrail.benchmarks.agent;

import io.mailtrail.kafka.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * The agent's cost, printed: (1) per-call overhead of a rule-matched method with two captured
 * scalar arguments against the same method uninstrumented, with the writer draining to real
 * PostgreSQL: {@link AgentOverheadBenchmark} in JMH sample mode (p50, p99, B/op), run here in
 * forks with the agent attached, measured like the CTW figure of {@code AspectOverheadBenchmark};
 * (2) the start-up time the agent adds to a host that loads ~5,000 classes.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl agent,benchmarks -am
 * java -cp benchmarks/target/mailtrail-benchmarks.jar io.mailtrail.benchmarks.agent.AgentBenchmark \
 *      [agent/target/mailtrail-agent.jar] [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 *      [KAFKA_HOST:PORT | start] [--startup-only]
 * </pre>
 * With a third argument, start-up is also measured with the agent configured for Kafka only
 * ({@code start}: on a broker of its own, a child JVM); {@code --startup-only} skips the per-call part.
 * Creates (and recreates) the database {@code mailtrail_bench_agent} on that server.
 */
public final class AgentBenchmark {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String DATABASE = "mailtrail_bench_agent";
    private static final int GENERATED_CLASSES = 5_000;
    private static final int RUNS = 7;

    private AgentBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        boolean startupOnly = Arrays.asList(arguments).contains("--startup-only");
        String[] args = Arrays.stream(arguments).filter(a -> !a.equals("--startup-only")).toArray(String[]::new);
        Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/mailtrail-agent.jar").toAbsolutePath();
        String adminUrl = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        String url = createDatabase(adminUrl);
        Path work = Files.createTempDirectory("mailtrail-agent-bench");
        Path config = work.resolve("mailtrail-agent.yaml");
        Files.writeString(config, """
                database:
                  url: "%s"
                shutdownTimeout: 10s
                rules:
                  - name: classify
                    class: io.mailtrail.benchmarks.agent.AgentClassifier
                    method: classify
                    parameters: [int, double]
                    type: classified
                    emailId: "#p0"
                    description: "Classified (confidence: #{#p1})"
                    capture:
                      email: "#p0"
                      confidence: "#p1"
                  - name: dispatch-only
                    class: io.mailtrail.benchmarks.agent.AgentClassifier
                    method: classifyDispatchOnly
                    type: classified
                    emailId: "#unknown"          # does not compile on purpose: the agent's part only
                  - name: handlers
                    implements: java.lang.Runnable
                    method: run
                    type: workflow_executed
                    emailId: "1"
                  - name: services
                    class: gen.**Service
                    method: handle
                    type: rule_matched
                    emailId: "#p0"
                """.formatted(url));

        // First as the CTW figure is taken (the writer drains into a sink that discards: the
        // agent's "database: none"), then draining to PostgreSQL on the same two cores.
        if (!startupOnly) {
            perCall(agent, "none", work.resolve("mailtrail-agent-jmh-none.yaml"));
            perCall(agent, url, work.resolve("mailtrail-agent-jmh.yaml"));
        }

        System.out.println("== start-up: host loading " + GENERATED_CLASSES + " classes ==");
        Path classes = generateClasses(work.resolve("gen"));
        List<String> plain = List.of(JAVA, "-cp", classes.toString(), "gen.LoadAll");
        List<String> withAgent = List.of(JAVA, "-javaagent:" + agent + "=config=" + config, "-cp", classes.toString(),
                "gen.LoadAll");
        // With Kafka too, its runs interleave with the others: the same moments of a shared machine.
        KafkaBroker broker = args.length > 2 && args[2].equals("start") ? KafkaBroker.start() : null;
        String bootstrapServers = broker != null ? broker.bootstrapServers() : args.length > 2 ? args[2] : null;
        List<String> withKafka = bootstrapServers == null ? null : kafkaCommand(agent, config, classes, bootstrapServers);
        try {
            run(plain); // warm the OS file cache
            run(withAgent);
            if (withKafka != null) {
                run(withKafka);
            }
            long[] plainMs = new long[RUNS];
            long[] agentMs = new long[RUNS];
            long[] kafkaMs = new long[RUNS];
            long[] agentPremainMs = new long[RUNS];
            long[] kafkaPremainMs = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                plainMs[i] = run(plain).millis;
                Output withDatabase = run(withAgent);
                agentMs[i] = withDatabase.millis;
                agentPremainMs[i] = withDatabase.agentStartedMillis();
                Output kafkaOnly = withKafka == null ? new Output("", 0) : run(withKafka);
                kafkaMs[i] = kafkaOnly.millis;
                kafkaPremainMs[i] = kafkaOnly.agentStartedMillis();
            }
            Arrays.sort(plainMs);
            Arrays.sort(agentMs);
            Arrays.sort(kafkaMs);
            Arrays.sort(agentPremainMs);
            Arrays.sort(kafkaPremainMs);
            int median = RUNS / 2;
            System.out.printf("plain JVM: median %d ms %s%nwith agent: median %d ms %s%nadded by the agent: %d ms%n",
                    plainMs[median], Arrays.toString(plainMs), agentMs[median], Arrays.toString(agentMs),
                    agentMs[median] - plainMs[median]);
            Output report = run(withAgent);
            System.out.println("agent's own report: " + report.line("[mailtrail-agent] started in") + " / "
                    + report.line("LOADED"));
            System.out.printf("agent's premain (its \"started in\" line), with a database: median %d ms %s%n",
                    agentPremainMs[median], Arrays.toString(agentPremainMs));
            if (withKafka != null) {
                System.out.printf("agent's premain, kafka only: median %d ms %s%n", kafkaPremainMs[median],
                        Arrays.toString(kafkaPremainMs));
                System.out.printf("with agent, kafka only (%s): median %d ms %s%nadded by the agent with kafka: %d ms"
                        + " (%+d ms against the agent with a database)%n", bootstrapServers, kafkaMs[median],
                        Arrays.toString(kafkaMs), kafkaMs[median] - plainMs[median], kafkaMs[median] - agentMs[median]);
                Output kafkaReport = run(withKafka);
                System.out.println("agent's own report (kafka): " + kafkaReport.line("[mailtrail-agent] started in") + " / "
                        + kafkaReport.line("[mailtrail-agent] kafka"));
            }
            System.out.println("load: " + loadAverage());
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * The same host with the agent configured for Kafka only (no database section): the Kafka
     * client is loaded, and the producer created on the writer's thread at its first batch.
     */
    private static List<String> kafkaCommand(Path agent, Path databaseConfig, Path classes, String bootstrapServers)
            throws IOException {
        String yaml = Files.readString(databaseConfig).replaceFirst("(?s)database:\\n  url: \"[^\"]*\"\\n",
                "kafka:\n  bootstrapServers: " + bootstrapServers + "\n  topic: mailtrail-agent-bench\n");
        Path config = Files.writeString(databaseConfig.resolveSibling("mailtrail-agent-kafka.yaml"), yaml);
        return List.of(JAVA, "-javaagent:" + agent + "=config=" + config, "-cp", classes.toString(), "gen.LoadAll");
    }

    /**
     * Runs {@link AgentOverheadBenchmark} in JMH forks with the agent attached, then prints p50,
     * p99 and B/op per method and the overheads against {@code plain}. {@code url} "none" makes
     * the agent's writer drain into a sink that discards.
     */
    private static void perCall(Path agent, String url, Path config) throws IOException, RunnerException, SQLException {
        // Only the fixture's rules: a rule such as "implements: java.lang.Runnable" would instrument JMH's own threads.
        Files.writeString(config, """
                database:
                  url: "%s"
                annotations: false
                shutdownTimeout: 5s
                reportDelay: 3600s
                rules:
                  - name: classify
                    class: io.mailtrail.benchmarks.agent.AgentClassifier
                    method: classify
                    parameters: [int, double]
                    type: classified
                    emailId: "#p0"
                    captureArguments: true
                  - name: classify-with-template
                    class: io.mailtrail.benchmarks.agent.AgentClassifier
                    method: classifyWithTemplate
                    parameters: [int, double]
                    type: classified
                    emailId: "#p0"
                    captureArguments: true
                    description: "Classified (confidence: #{#p1})"
                  - name: dispatch-only
                    class: io.mailtrail.benchmarks.agent.AgentClassifier
                    method: classifyDispatchOnly
                    parameters: [int, double]
                    type: classified
                    emailId: "#unknown"          # does not compile on purpose: the agent's part only
                """.formatted(url));
        boolean discard = "none".equals(url);
        System.out.println("== per-call overhead (JMH sample mode, rule-matched method, two captured scalars,"
                + (discard ? " writer draining into a discarding sink, as the CTW figure)" : " writer draining to PostgreSQL)")
                + " ==");
        System.out.println("load average before: " + loadAverage());
        Options options = new OptionsBuilder()
                .include(AgentOverheadBenchmark.class.getName() + "\\.")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                // Three forks pooled: a single fork's p50 depends on how that JVM's JIT settles.
                .forks(3)
                .warmupIterations(4)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(4)
                .measurementTime(TimeValue.seconds(2))
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-javaagent:" + agent + "=config=" + config)
                .build();
        Map<String, double[]> figures = new TreeMap<>();
        for (RunResult result : new Runner(options).run()) {
            String name = result.getParams().getBenchmark();
            Statistics stats = result.getPrimaryResult().getStatistics();
            double bytes = result.getSecondaryResults().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
                    .mapToDouble(e -> e.getValue().getScore()).findFirst().orElse(Double.NaN);
            figures.put(name.substring(name.lastIndexOf('.') + 1),
                    new double[] {stats.getPercentile(50), stats.getPercentile(99), bytes});
        }
        System.out.println("load average after: " + loadAverage());
        double[] plain = figures.get("plain");
        System.out.println();
        System.out.printf("%-26s %10s %10s %8s %16s%n", "AgentOverheadBenchmark", "p50 ns", "p99 ns", "B/op",
                "p50 - plain ns");
        for (String name : List.of("plain", "dispatchOnly", "instrumented", "instrumentedWithTemplate")) {
            double[] f = figures.get(name);
            if (f == null) {
                System.out.println(name + ": no result (see the JMH output above)");
                continue;
            }
            System.out.printf("%-26s %10.1f %10.1f %8.1f %16s%n", name, f[0], f[1], f[2],
                    plain == null || name.equals("plain") ? "-" : String.format("%.1f", f[0] - plain[0]));
        }
        System.out.println("(target: instrumented - plain <= 250 ns p50)");
        if (discard) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM email_activity_log")) {
            rs.next();
            System.out.println("rows written by the agent: " + rs.getLong(1));
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private record Output(String text, long millis) {
        String line(String prefix) {
            return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)\n" + text);
        }

        /** The agent's own premain time from its "started in N ms" line, or -1. */
        long agentStartedMillis() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[mailtrail-agent\\] started in (\\d+) ms")
                    .matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private static Output run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("child", ".log");
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("child timed out: " + command);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        String text = Files.readString(log);
        Files.delete(log);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("child failed: " + command + "\n" + text);
        }
        return new Output(text, millis);
    }

    /** 5,000 small classes in 50 packages (a tenth of them "services"), and a main that loads them all. */
    private static Path generateClasses(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        List<String> files = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < GENERATED_CLASSES; i++) {
            String pkg = "gen.p" + (i % 50);
            String name = i % 10 == 0 ? "C" + i + "Service" : "C" + i;
            Path file = src.resolve(pkg.replace('.', '/')).resolve(name + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "package " + pkg + "; public class " + name + (i % 7 == 0 ? " implements Runnable" : "")
                    + " { public int handle(int id, String s) { return id + s.length(); }"
                    + (i % 7 == 0 ? " public void run() { }" : "") + " static int x = " + i + "; }");
            files.add(file.toString());
            names.append('"').append(pkg).append('.').append(name).append("\",");
            if (i % 500 == 499) {
                names.append('\n');
            }
        }
        Path main = src.resolve("gen/LoadAll.java");
        Files.writeString(main, "package gen; public class LoadAll { static final String[] N = {" + names + "};"
                + " public static void main(String[] a) throws Exception { long t = System.nanoTime(); int n = 0;"
                + " for (String s : N) { Class.forName(s); n++; }"
                + " System.out.println(\"LOADED \" + n + \" classes in \" + (System.nanoTime() - t) / 1000000 + \" ms\"); } }");
        files.add(main.toString());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-parameters", "-nowarn"));
        options.addAll(files);
        if (javac.run(null, null, null, options.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed");
        }
        return out;
    }

    /** Drops and creates the benchmark database and applies the mailtrail-schema migrations. */
    private static String createDatabase(String adminUrl) throws SQLException, IOException, URISyntaxException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + DATABASE + "$1");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : migrations().values()) {
                s.execute(sql);
            }
        }
        return url;
    }

    private static TreeMap<String, String> migrations() throws IOException, URISyntaxException {
        TreeMap<String, String> byVersion = new TreeMap<>(
                (a, b) -> Integer.compare(version(a), version(b)));
        URL location = AgentBenchmark.class.getClassLoader().getResource("db/migration/mailtrail");
        if (location == null) {
            throw new IllegalStateException("mailtrail-schema is not on the class path");
        }
        if (location.getProtocol().equals("jar")) {
            try (JarFile jar = ((JarURLConnection) location.openConnection()).getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    String name = e.getName();
                    if (name.startsWith("db/migration/mailtrail/V") && name.endsWith(".sql")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            byVersion.put(name.substring(name.lastIndexOf('/') + 1),
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } else {
            try (var files = Files.list(Path.of(location.toURI()))) {
                for (Path p : files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).toList()) {
                    byVersion.put(p.getFileName().toString(), Files.readString(p));
                }
            }
        }
        return byVersion;
    }

    private static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }
}
