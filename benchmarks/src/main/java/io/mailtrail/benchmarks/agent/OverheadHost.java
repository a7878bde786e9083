package io.mailtrail.benchmarks.agent;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Runs in a child JVM under the agent (see {@link AgentBenchmark}): times three methods with the
 * same body, in alternating batches, and prints the medians per call.
 * <ul>
 * <li>{@code classify}: matched by a rule with two captured scalars; the full path, advice to
 * enqueued event, while the agent's writer drains to PostgreSQL;
 * <li>{@code classifyDispatchOnly}: matched by a rule whose plan does not compile, so the call
 * runs the agent's part only (inlined advice, argument array, dispatcher, handler, plan lookup)
 * and no event is built: the agent's share;
 * <li>{@code classifyPlain}: matched by nothing.
 * </ul>
 * Wall time per call includes whatever the writer thread and the database server take from the
 * same cores meanwhile; the caller thread's CPU time and its allocated bytes per call do not, and
 * the bytes are deterministic.
 */
public final class OverheadHost {

    /** The instrumented targets and their plain twin; same body, so the differences are the agent's. */
    public static final class Mailbox {
        private long sink;

        public long classify(int emailId, double confidence) {
            sink += emailId + (long) confidence;
            return sink;
        }

        public long classifyDispatchOnly(int emailId, double confidence) {
            sink += emailId + (long) confidence;
            return sink;
        }

        public long classifyPlain(int emailId, double confidence) {
            sink += emailId + (long) confidence;
            return sink;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String[] NAMES = {"full", "dispatch-only", "plain"};

    private OverheadHost() {
    }

    public static void main(String[] args) {
        int batches = Integer.parseInt(args[0]);
        int callsPerBatch = Integer.parseInt(args[1]);
        Mailbox mailbox = new Mailbox();
        long blackhole = 0;
        // Warm-up: all methods JIT-compiled with the advice inlined.
        for (int i = 0; i < 3; i++) {
            for (int kind = 0; kind < 3; kind++) {
                blackhole += batch(mailbox, kind, callsPerBatch);
            }
        }
        double[][] wall = new double[3][batches];
        double[][] cpu = new double[3][batches];
        double[][] bytes = new double[3][batches];
        long thread = Thread.currentThread().getId();
        for (int b = 0; b < batches; b++) {
            for (int kind = 0; kind < 3; kind++) {
                long a0 = THREADS.getThreadAllocatedBytes(thread);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                blackhole += batch(mailbox, kind, callsPerBatch);
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                long a1 = THREADS.getThreadAllocatedBytes(thread);
                wall[kind][b] = (t1 - t0) / (double) callsPerBatch;
                cpu[kind][b] = (c1 - c0) / (double) callsPerBatch;
                bytes[kind][b] = (a1 - a0) / (double) callsPerBatch;
            }
            pause(); // let the writer drain between batches, as a real host would idle
        }
        StringBuilder out = new StringBuilder("RESULT");
        for (int kind = 0; kind < 3; kind++) {
            Arrays.sort(wall[kind]);
            Arrays.sort(cpu[kind]);
            Arrays.sort(bytes[kind]);
            out.append(String.format(" | %s: wall p50 %.1f ns p90 %.1f ns, caller CPU p50 %.1f ns, %.1f B/call",
                    NAMES[kind], median(wall[kind]), wall[kind][(int) (batches * 0.9)], median(cpu[kind]),
                    median(bytes[kind])));
        }
        out.append(String.format(" | agent share (dispatch-only - plain): %.1f ns CPU, pipeline share (full -"
                + " dispatch-only): %.1f ns CPU | calls %d (%d)", median(cpu[1]) - median(cpu[2]),
                median(cpu[0]) - median(cpu[1]), (long) batches * callsPerBatch * 3, blackhole & 1));
        System.out.println(out);
    }

    private static long batch(Mailbox mailbox, int kind, int calls) {
        long sum = 0;
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < calls; i++) {
                    sum += mailbox.classify(i & 0xFFFF, 0.85);
                }
            }
            case 1 -> {
                for (int i = 0; i < calls; i++) {
                    sum += mailbox.classifyDispatchOnly(i & 0xFFFF, 0.85);
                }
            }
            default -> {
                for (int i = 0; i < calls; i++) {
                    sum += mailbox.classifyPlain(i & 0xFFFF, 0.85);
                }
            }
        }
        return sum;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
