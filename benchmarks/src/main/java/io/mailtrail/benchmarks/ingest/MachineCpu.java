package io.mailtrail.benchmarks.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy CPU time of the whole machine (every process, the database's included), read from the
 * first line of {@code /proc/stat}. Divided by the rows a phase wrote, it tells what a row cost
 * the machine in all; when the cores are saturated, that cost, not the code's speed, sets the
 * rate, and a phase that adds work per row must lose rate in the same proportion.
 */
final class MachineCpu {

    private MachineCpu() {
    }

    /** A reading: busy and total ticks since boot, or {@code null} when /proc/stat is not there. */
    record Reading(long busyTicks, long totalTicks) {

        /** Busy CPU nanoseconds between {@code earlier} and this reading. */
        long busyNanosSince(Reading earlier) {
            return (busyTicks - earlier.busyTicks) * BackendCpu.NANOS_PER_TICK;
        }

        /** Share of all cores that was busy between {@code earlier} and this reading, 0..1. */
        double busyShareSince(Reading earlier) {
            long total = totalTicks - earlier.totalTicks;
            return total == 0 ? 0 : (double) (busyTicks - earlier.busyTicks) / total;
        }
    }

    static Reading read() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new Reading(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
