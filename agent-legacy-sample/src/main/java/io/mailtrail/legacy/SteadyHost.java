package io.mailtrail.legacy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * A legacy host under steady load, for the agent's outage tests: calls
 * {@code LegacyMailProcessor.fetch(i, "imap")} for i = 0, 1, 2, … at {@code perSecond} calls a
 * second, so the email id is the call's sequence number. Prints {@code CALLS <n>} every 1,000
 * calls, stops at the first line on standard input (or after {@code max} calls), prints
 * {@code TOTAL <n>} and exits normally (the agent's shutdown hook then flushes).
 *
 * <pre>java -javaagent:... -cp ... io.mailtrail.legacy.SteadyHost perSecond [max]</pre>
 */
public final class SteadyHost {

    private SteadyHost() {
    }

    public static void main(String[] args) throws Exception {
        int perSecond = Integer.parseInt(args[0]);
        long max = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        Thread stopper = new Thread(() -> {
            try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (Exception ignored) {
                // stdin closed: stop as well
            }
        }, "stdin-watch");
        stopper.setDaemon(true);
        stopper.start();
        LegacyMailProcessor processor = new LegacyMailProcessor();
        long start = System.nanoTime();
        int i = 0;
        while (i < max && stopper.isAlive()) {
            long due = start + (long) i * 1_000_000_000L / Math.max(1, perSecond);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                continue;
            }
            if (!processor.fetch(i, "imap").equals("msg-" + i + "@imap")) {
                throw new AssertionError("host behaviour changed at call " + i);
            }
            i++;
            if (i % 1_000 == 0) {
                System.out.println("CALLS " + i);
                System.out.flush();
            }
        }
        System.out.println("TOTAL " + i);
        System.out.flush();
    }
}
