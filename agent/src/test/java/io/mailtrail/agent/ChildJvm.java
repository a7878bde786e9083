package io.mailtrail.agent;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.legacy.LegacyHub;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM started with the current {@code java} binary; output collected, every wait bounded. */
final class ChildJvm {

    static final Path AGENT_JAR = Path.of(System.getProperty("mailtrail.agent.jar", "target/mailtrail-agent.jar"))
            .toAbsolutePath();
    static final Path CONFLICT_LIBS = Path.of(System.getProperty("mailtrail.conflict.libs", "target/conflict-libs"))
            .toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** The finished child. */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> outDone;
    private final CompletableFuture<Void> errDone;

    private ChildJvm(Process process) {
        this.process = process;
        // Own threads, not the common pool: on two cores it has one worker, and a child blocked
        // on a full stderr pipe while stdout is pumped would never finish.
        this.outDone = pumpThread(new InputStreamReaderLines(process.getInputStream()), stdout, true);
        this.errDone = pumpThread(new InputStreamReaderLines(process.getErrorStream()), stderr, false);
    }

    /** The class path of a plain host: the legacy sample and the annotations, nothing else. */
    static String hostClassPath(Path... extra) {
        List<String> entries = new ArrayList<>();
        entries.add(location(LegacyHub.class));
        entries.add(location(LogsEmailEvent.class));
        for (Path p : extra) {
            entries.add(p.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    static ChildJvm start(Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("MAILTRAIL_"));
        environment.putAll(env);
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(Map<String, String> env, List<String> command) {
        return start(env, command).await(90);
    }

    static List<String> java(String... args) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.add("-Xshare:auto");
        command.addAll(List.of(args));
        return command;
    }

    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /** Waits for a line of standard output starting with {@code prefix}, and returns it. */
    String awaitLine(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = stdoutLines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && stdoutLines.isEmpty() && outDone.isDone()) {
                break;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("no line '" + prefix + "...' from the child; stdout:\n" + stdout + "\nstderr:\n" + stderr);
    }

    /** SIGKILL (on Linux): the JVM dies at once, no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child did not die");
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    Result await(long seconds) {
        boolean finished;
        try {
            finished = process.waitFor(seconds, TimeUnit.SECONDS);
            if (finished) {
                outDone.get(10, TimeUnit.SECONDS);
                errDone.get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (!finished) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish within " + seconds + " s; stdout:\n" + stdout
                    + "\nstderr:\n" + stderr);
        }
        return new Result(process.exitValue(), stdout.toString(), stderr.toString());
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private CompletableFuture<Void> pumpThread(InputStreamReaderLines lines, StringBuffer into, boolean queue) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            String line;
            while ((line = lines.next()) != null) {
                into.append(line).append('\n');
                if (queue) {
                    stdoutLines.add(line);
                }
            }
            done.complete(null);
        }, "child-output");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines of a stream; {@code null} at its end. */
    private static final class InputStreamReaderLines {
        private final BufferedReader reader;

        InputStreamReaderLines(java.io.InputStream in) {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        String next() {
            try {
                return reader.readLine();
            } catch (IOException e) {
                return null;
            }
        }
    }
}
