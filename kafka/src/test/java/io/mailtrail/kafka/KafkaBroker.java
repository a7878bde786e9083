package io.mailtrail.kafka;

import io.mailtrail.testsupport.PrivateCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one) in a child JVM, started
 * from the {@code kafka_2.13} jars on the test class path, so a test can stop it cleanly, kill it
 * or start it again on the same log directory. Shared with other modules' tests through this
 * module's test-jar (they need {@code kafka_2.13} as a test dependency too).
 */
public final class KafkaBroker implements AutoCloseable {

    /** Tests' brokers start sooner with the JIT's first tier only. */
    private static final List<String> TEST_JIT = List.of("-XX:TieredStopAtLevel=1");

    private static KafkaBroker shared;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final List<String> jitOptions;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, List<String> jitOptions) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.jitOptions = jitOptions;
    }

    /** One broker per test JVM, started on first use and removed at exit: for tests that do not stop it. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a Kafka broker: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A new broker of the caller's own, listening; {@link #close()} kills it and deletes its logs. */
    public static KafkaBroker start() throws IOException {
        return start(TEST_JIT);
    }

    /**
     * A broker whose JVM compiles with every tier of the JIT, as a production broker does, for a
     * benchmark: a test's broker stops at C1, which starts sooner but costs more CPU per record.
     */
    public static KafkaBroker startFullyCompiled() throws IOException {
        return start(List.of());
    }

    private static KafkaBroker start(List<String> jitOptions) throws IOException {
        Path dir = Files.createTempDirectory("mt-kafka-");
        KafkaBroker broker = new KafkaBroker(dir, PrivateCluster.freePort(), PrivateCluster.freePort(), jitOptions);
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + broker.controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + broker.port + ",CONTROLLER://127.0.0.1:" + broker.controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker.port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "message.max.bytes=2097152",
                ""));
        broker.java(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                dir.resolve("server.properties").toString(), "--standalone"), true);
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** A clean shutdown (SIGTERM), waiting until the process is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Whether its process is alive (it may have been stopped or killed by a test). */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown at all. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts it again on the same ports and log directory; returns once it answers. */
    public void restart() throws IOException {
        startProcess();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void startProcess() throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC"));
        arguments.addAll(jitOptions);
        arguments.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        process = java(arguments, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the Kafka broker exited with " + process.exitValue() + "; see " + dir.resolve("broker.log"));
            }
            if (answers()) {
                return;
            }
            sleep(200);
        }
        throw new IOException("the Kafka broker did not answer within 90 s; see " + dir.resolve("broker.log"));
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = admin()) {
            Set<String> ignored = admin.listTopics().names().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private Process java(List<String> arguments, boolean waitForIt) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (!waitForIt) {
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        }
        command.addAll(arguments);
        Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        if (waitForIt) {
            try {
                if (!started.waitFor(60, TimeUnit.SECONDS) || started.exitValue() != 0) {
                    throw new IOException(arguments.get(0) + " failed: " + Files.readString(dir.resolve("broker.log")));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return started;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
