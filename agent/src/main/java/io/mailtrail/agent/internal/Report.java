package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureProblem;
import io.mailtrail.core.capture.CaptureSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's start-up report, on standard error with the prefix {@code [mailtrail-agent]}: the
 * configuration's problems, each match as it happens (classes are matched as they load), each
 * rule or expression that can not be used, and a summary per rule ({@code matched N methods} or
 * {@code matched nothing} with the likely reason) after {@code reportDelay} and at shutdown.
 * Thread-safe: matches arrive from class-loading threads.
 */
final class Report {

    static final String PREFIX = "[mailtrail-agent] ";

    private final PrintStream out;
    private volatile PrintStream file;
    private final Map<String, Set<String>> matchesByRule = new LinkedHashMap<>();
    private final Set<String> annotated = new LinkedHashSet<>();
    private final Set<String> problems = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> problemsByRule = new ConcurrentHashMap<>();
    private final AtomicLong transformErrors = new AtomicLong();
    private final AtomicBoolean warnedTransformError = new AtomicBoolean();
    private List<Rule> rules = List.of();

    Report(PrintStream out) {
        this.out = out;
    }

    void line(String text) {
        out.println(PREFIX + text);
        PrintStream copy = file;
        if (copy != null) {
            copy.println(PREFIX + text);
        }
    }

    /**
     * Appends every further line to {@code path} too (created if missing). A file that can not
     * be opened is reported on standard error and the report stays there.
     */
    void alsoTo(java.nio.file.Path path) {
        try {
            file = new PrintStream(java.nio.file.Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND), true, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | RuntimeException e) {
            line("CONFIG cannot write the report to " + path + " (" + e + "); it goes to standard error only");
        }
    }

    synchronized void rules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : rules) {
            matchesByRule.put(rule.name(), new LinkedHashSet<>());
            line("rule '" + rule.name() + "': " + rule.spec().type() + " (" + rule.spec().category().name()
                    .toLowerCase(java.util.Locale.ROOT) + ") on " + rule.target());
        }
    }

    void matched(Rule rule, String method) {
        boolean first;
        synchronized (this) {
            first = matchesByRule.computeIfAbsent(rule.name(), k -> new LinkedHashSet<>()).add(method);
        }
        if (first) {
            line("rule '" + rule.name() + "' matched " + method);
        }
    }

    void annotated(String method) {
        boolean first;
        synchronized (this) {
            first = annotated.add(method);
        }
        if (first) {
            line("@LogsEmailEvent on " + method);
        }
    }

    /** A spec that can not compile; reported once and skipped. */
    void problem(CaptureProblem problem) {
        String text = "INVALID " + problem;
        if (problems.add(text)) {
            if (!problem.origin().equals(CaptureSpec.ANNOTATION)) {
                problemsByRule.merge(problem.origin(), 1, Integer::sum);
            }
            line(text);
        }
    }

    /** A metadata path that compiled but could not be read at run time; once per method (the caller ensures). */
    void unreadable(CaptureProblem problem) {
        line("UNREADABLE " + problem.origin() + "(type = \"" + problem.eventType() + "\") on " + problem.className() + "."
                + problem.methodName() + ": " + problem.attribute() + " \"" + problem.expression() + "\": "
                + problem.reason());
    }

    void transformError(String typeName, Throwable error) {
        transformErrors.incrementAndGet();
        if (warnedTransformError.compareAndSet(false, true)) {
            line("could not instrument " + typeName + " (it runs unchanged; further such errors are only counted): "
                    + error);
        }
    }

    /** The per-rule summary. */
    void summary(String when) {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            lines.add("summary " + when + ": " + rules.size() + " rule(s) in use, " + annotated.size()
                    + " @LogsEmailEvent method(s) instrumented" + (transformErrors.get() == 0 ? ""
                            : ", " + transformErrors.get() + " class(es) could not be instrumented"));
            for (Rule rule : rules) {
                Set<String> matched = matchesByRule.getOrDefault(rule.name(), Set.of());
                Integer invalid = problemsByRule.get(Rule.origin(rule.name()));
                String suffix = invalid == null ? "" : " (" + invalid + " INVALID, see above)";
                if (matched.isEmpty()) {
                    lines.add("  rule '" + rule.name() + "' matched nothing: " + nothingReason(rule));
                } else {
                    lines.add("  rule '" + rule.name() + "' matched " + matched.size() + " method(s): "
                            + String.join(", ", matched) + suffix);
                }
            }
        }
        lines.forEach(this::line);
    }

    private static String nothingReason(Rule rule) {
        if (rule.superType() != null) {
            return "no loaded class extends or implements " + rule.superType() + " with a method "
                    + rule.methodPart();
        }
        if (rule.isWildcard()) {
            return "no loaded class matches " + rule.className() + " with a method "
                    + rule.methodPart();
        }
        String resource = rule.className().replace('.', '/') + ".class";
        if (ClassLoader.getSystemClassLoader().getResource(resource) == null) {
            return "class " + rule.className() + " is not loaded and not on the class path (unknown class?)";
        }
        return "class " + rule.className() + " has no method " + rule.methodPart() + " (or was not loaded yet)";
    }
}
