package io.mailtrail.benchmarks.scale;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue #20's targets, each with the figure {@link ScaleBenchmark} measured for V20's layout
 * (column 2), against the unpartitioned log (column 0) or the daily partitions (column 1) of the
 * same run where the target is a ratio.
 */
final class Targets {

    private static final PrintStream OUT = System.out;
    private static final int UNPARTITIONED = 0;
    private static final int DAILY = 1;
    private static final int HOT_COLD = 2;
    private static final String VIEW = "seed's view from psql, warm session%s, p50 (ms)";
    private static final String FIRST = "seed's view from psql, new session's first query%s, p50 (ms)";
    private static final String API = "timeline of one email, API (ActivityQueries.timeline)%s, p99 (ms)";
    private static final String STATS = "statistics (/activity/stats)%s, p99 (ms)";
    private static final String[] RECENT = {"no filter", "type=error", "category=user", "rare user", "one day's range"};

    private Targets() {
    }

    static String grown(int days, boolean years) {
        return " at " + days + " days" + (years ? "" : ", merge_years off");
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    static void print(Map<String, double[]> results, int growthDays) {
        List<String> lines = new ArrayList<>();
        at(lines, "seed's view from psql, warm session p50 <= 2 ms", value(results, VIEW, ""), 2);
        at(lines, "seed's view from psql, new session's first query p50 <= 30 ms", value(results, FIRST, ""), 30);
        at(lines, "API timeline p99 <= 2 ms", value(results, API, ""), 2);
        for (String filter : RECENT) {
            at(lines, "recent activity (" + filter + ") p99 <= 10 ms",
                    value(results, "recent activity, " + filter + "%s, p99 (ms)", ""), 10);
        }
        at(lines, "statistics p99 <= 20 ms", value(results, STATS, ""), 20);
        double[] sum = results.get("seed use cases 1-5, verbatim, sum (ms)");
        if (sum != null) {
            ratio(lines, "seed's five use cases, verbatim, JIT on: sum <= 1.2 x unpartitioned", sum[HOT_COLD],
                    sum[UNPARTITIONED], 1.2);
            for (int q = 1; q <= SeedUseCases.QUERIES.length; q++) {
                double[] one = results.get("seed use case " + q + ", verbatim, psql, server defaults (ms)");
                ratio(lines, "  use case " + q + " <= 1.2 x unpartitioned", one[HOT_COLD], one[UNPARTITIONED], 1.2);
            }
        }
        for (boolean years : new boolean[] {false, true}) {
            String suffix = grown(growthDays, years);
            for (String name : new String[] {VIEW, FIRST, API, STATS}) {
                ratio(lines, "growth" + suffix + ": " + name.formatted("").replace(" (ms)", "") + " <= 1.3 x",
                        value(results, name, suffix), value(results, name, ""), 1.3);
            }
            double worstNow = 0;
            double worstGrown = 0;
            for (String filter : RECENT) {
                String name = "recent activity, " + filter + "%s, p99 (ms)";
                worstNow = Math.max(worstNow, value(results, name, ""));
                worstGrown = Math.max(worstGrown, value(results, name, suffix));
            }
            ratio(lines, "growth" + suffix + ": recent activity, slowest filter, p99 <= 1.3 x", worstGrown, worstNow, 1.3);
        }
        String daily = "daily purge (older than 90 days, the next day)";
        at(lines, daily + " <= 1000 ms", value(results, daily + " (ms)", ""), 1000);
        at(lines, daily + ": dead rows <= rows removed (" + format(value(results, daily + " (rows)", "")) + ")",
                value(results, daily + ", dead rows it left", ""), value(results, daily + " (rows)", ""));
        at(lines, "backlog purge rewrites nothing: tables written anew = 0",
                value(results, "backlog purge (older than 91 days), tables it wrote anew", ""), 0);
        for (String writers : new String[] {"1 writer", "4 writers"}) {
            double[] ingest = results.get("ingest, loaded table, " + writers + " (rows/s)");
            if (ingest != null) {
                double ratio = ingest[HOT_COLD] / ingest[DAILY];
                lines.add("| ingest, loaded table, " + writers + " >= 0.9 x daily partitions (V17) | "
                        + String.format(Locale.ROOT, "%.2f x (%s / %s)", ratio, format(ingest[HOT_COLD]),
                        format(ingest[DAILY])) + " | " + verdict(ratio >= 0.9, ratio) + " |");
            }
        }
        OUT.println();
        OUT.println("| target (issue #20), V20 layout (weekly hot partitions, merged cold months and years) | figure | |");
        OUT.println("|---|---:|---|");
        lines.forEach(OUT::println);
    }

    private static double value(Map<String, double[]> results, String name, String suffix) {
        double[] values = results.get(name.formatted(suffix));
        return values == null ? Double.NaN : values[HOT_COLD];
    }

    private static void at(List<String> lines, String target, double figure, double limit) {
        lines.add("| " + target + " | " + format(figure) + " | " + verdict(figure <= limit, figure) + " |");
    }

    /** {@code figure / base <= limit}; printed as the ratio. */
    private static void ratio(List<String> lines, String target, double figure, double base, double limit) {
        double ratio = figure / base;
        lines.add("| " + target + " | " + String.format(Locale.ROOT, "%.2f x (%s / %s)", ratio, format(figure),
                format(base)) + " | " + verdict(ratio <= limit, ratio) + " |");
    }

    private static String verdict(boolean met, double figure) {
        return Double.isNaN(figure) ? "not measured" : met ? "MET" : "NOT MET";
    }
}
