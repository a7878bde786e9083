package io.mailtrail.benchmarks.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU of this JVM's Java threads over a phase, by thread name (digits dropped, so the ingester's
 * writers count as one): which party of the benchmark's JVM spends what. The JVM's own threads
 * (garbage collector, JIT compilers) are not Java threads: they are the JVM's CPU less this sum.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> start = cpuById();

    /** Java threads' CPU since this reading, per name, per row; threads that ended meanwhile are not in it. */
    String perRowSince(long rows, long jvmCpuNanos) {
        Map<String, Long> byName = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("\\d+", "N"), cpu - start.getOrDefault(info.getThreadId(), 0L),
                        Long::sum);
            }
        }
        long sum = byName.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> top = byName.entrySet().stream().filter(e -> e.getValue() * 50 > jvmCpuNanos)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
        return top.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1e3 / rows))
                .collect(Collectors.joining(", ", "this JVM's threads, us per row: ", String.format(Locale.ROOT,
                        "; GC, JIT and other JVM threads %.1f", (jvmCpuNanos - sum) / 1e3 / rows)));
    }

    private static Map<Long, Long> cpuById() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos > 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }
}
