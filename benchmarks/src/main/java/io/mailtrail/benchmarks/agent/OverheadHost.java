package io.mailtrail.benchmarks.agent;

import java.util.Arrays;

/**
 * Runs in a child JVM under the agent (see {@link AgentBenchmark}): times a rule-matched method
 * with two captured scalar arguments against an identical method no rule matches, in
 * alternating batches, and prints the medians. The agent's writer drains to PostgreSQL meanwhile.
 */
public final class OverheadHost {

    /** The instrumented target and its plain twin; same body, so the difference is the agent. */
    public static final class Mailbox {
        private long sink;

        public long classify(int emailId, double confidence) {
            sink += emailId + (long) confidence;
            return sink;
        }

        public long classifyPlain(int emailId, double confidence) {
            sink += emailId + (long) confidence;
            return sink;
        }
    }

    private OverheadHost() {
    }

    public static void main(String[] args) {
        int batches = Integer.parseInt(args[0]);
        int callsPerBatch = Integer.parseInt(args[1]);
        Mailbox mailbox = new Mailbox();
        long blackhole = 0;
        // Warm-up: both methods JIT-compiled with the advice inlined.
        for (int i = 0; i < 3; i++) {
            blackhole += batch(mailbox, true, callsPerBatch) + batch(mailbox, false, callsPerBatch);
        }
        double[] instrumented = new double[batches];
        double[] plain = new double[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            blackhole += batch(mailbox, true, callsPerBatch);
            long t1 = System.nanoTime();
            blackhole += batch(mailbox, false, callsPerBatch);
            long t2 = System.nanoTime();
            instrumented[b] = (t1 - t0) / (double) callsPerBatch;
            plain[b] = (t2 - t1) / (double) callsPerBatch;
            pause(); // let the writer drain between batches, as a real host would idle
        }
        Arrays.sort(instrumented);
        Arrays.sort(plain);
        double[] overhead = new double[batches];
        for (int b = 0; b < batches; b++) {
            overhead[b] = instrumented[b] - plain[b];
        }
        System.out.printf("RESULT instrumented_median_ns=%.1f plain_median_ns=%.1f overhead_median_ns=%.1f"
                + " instrumented_p90_ns=%.1f calls=%d (%d)%n", median(instrumented), median(plain),
                median(instrumented) - median(plain), instrumented[(int) (batches * 0.9)],
                (long) batches * callsPerBatch, blackhole & 1);
    }

    private static long batch(Mailbox mailbox, boolean instrumented, int calls) {
        long sum = 0;
        if (instrumented) {
            for (int i = 0; i < calls; i++) {
                sum += mailbox.classify(i & 0xFFFF, 0.85);
            }
        } else {
            for (int i = 0; i < calls; i++) {
                sum += mailbox.classifyPlain(i & 0xFFFF, 0.85);
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
