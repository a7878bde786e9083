package io.mailtrail.benchmarks.scale;

import static io.mailtrail.benchmarks.scale.ScaleSql.queryDouble;
import static io.mailtrail.benchmarks.scale.ScaleSql.queryString;
import static io.mailtrail.benchmarks.scale.ScaleSql.sleep;

import io.mailtrail.core.read.ActivityQueries;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;

/**
 * The log at scale in one run: today's unpartitioned schema (V1-V4), the daily partitions of V5-V17
 * and V18's hot/cold layout (the same database, migrated and maintained, so the merges of the
 * upgrade are timed too). N events over D days (default 20M over 120, see {@link ScaleLoad}); then
 * the API's reads (prepared statements), the seed's view from a plain SQL client (simple protocol:
 * a warm session and a new session's first query, {@link PlainSqlReads}), the statistics, the
 * seed's five use-case queries verbatim ({@link SeedUseCases}), the same non-pruned reads with the
 * history grown to {@code --growth-days} by empty partitions, retention (a backlog purge, then the
 * next day's purge, then the 30-day archive) and the writer's ingest rate, with one and with four
 * writers. Each target of issue #20 is printed with its figure and MET or NOT MET.
 *
 * <p>Usage: {@code java -cp benchmarks/target/mailtrail-benchmarks.jar
 * io.mailtrail.benchmarks.scale.ScaleBenchmark [--rows 20000000] [--days 120] [--growth-days 2555]
 * [--ingest-seconds 15] [--samples 1000] [--keep] [--jdbc-url URL] [--database-prefix mailtrail_scale]}.
 * It creates and, unless {@code --keep}, drops the databases {@code <prefix>_unpartitioned} and
 * {@code <prefix>_partitioned}. 20M rows take about 10 GB per schema.
 */
public final class ScaleBenchmark {

    private static final PrintStream OUT = System.out;
    private static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final String ACTIVITY = """
            SELECT a.id, a.email_id, a.event_type, a.event_category, a.description, a.metadata::text,
                   a.user_id, u.full_name, a.created_at, a.created_by
            FROM email_activity_log a LEFT JOIN users u ON u.id = a.user_id
            """;
    private static final String RECENT_ORDER = " ORDER BY a.created_at DESC, a.id DESC LIMIT 50";
    private static final String LAST_7_DAYS = "created_at > timezone('UTC', now()) - interval '7 days'";

    private static final String[] COLUMNS = {"unpartitioned (V1-V4)", "daily partitions (V17)", "hot/cold (V20)"};

    private final long rows;
    private final int days;
    private final int growthDays;
    private final int ingestSeconds;
    private final int samples;
    private final int partitionDays;
    private final String serverUrl;
    private final Map<String, double[]> results = new LinkedHashMap<>();

    private ScaleBenchmark(long rows, int days, int growthDays, int ingestSeconds, int samples, int partitionDays,
            String serverUrl) {
        this.rows = rows;
        this.days = days;
        this.growthDays = growthDays;
        this.ingestSeconds = ingestSeconds;
        this.samples = samples;
        this.partitionDays = partitionDays;
        this.serverUrl = serverUrl;
    }

    public static void main(String[] args) throws Exception {
        long rows = 20_000_000;
        int days = ScaleLoad.DEFAULT_DAYS;
        int growthDays = 7 * 365;
        int ingestSeconds = 15;
        int samples = 1000;
        boolean keep = false;
        int partitionDays = 1;
        boolean partitionedOnly = false;
        String prefix = "mailtrail_scale";
        String url = System.getenv().getOrDefault("MAILTRAIL_BENCH_JDBC_URL", SERVER_URL);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--growth-days" -> growthDays = Integer.parseInt(args[++i]);
                case "--ingest-seconds" -> ingestSeconds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--partition-days" -> partitionDays = Integer.parseInt(args[++i]);
                case "--partitioned-only" -> partitionedOnly = true;
                case "--jdbc-url" -> url = args[++i];
                case "--database-prefix" -> prefix = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --rows, --days, --growth-days, --ingest-seconds, --samples, --partition-days, --partitioned-only,"
                        + " --keep, --jdbc-url, --database-prefix");
            }
        }
        if (rows < 1000) {
            throw new IllegalArgumentException("--rows must be at least 1000, was " + rows);
        }
        if (days < 2 || growthDays < days) {
            throw new IllegalArgumentException("--days must be at least 2 and --growth-days at least --days");
        }
        ScaleBenchmark benchmark = new ScaleBenchmark(rows, days, growthDays, ingestSeconds, samples, partitionDays, url);
        OUT.printf(Locale.ROOT, "ScaleBenchmark: %,d events over %d days (growth to %d days), %d samples per read,"
                + " %d s per ingest phase, %d CPUs%n", rows, days, growthDays, samples, ingestSeconds,
                Runtime.getRuntime().availableProcessors());
        String[] databases = {prefix + "_unpartitioned", prefix + "_partitioned"};
        try {
            if (!partitionedOnly) {
                benchmark.run(0, databases[0], "4");
            }
            if (!keep) {
                benchmark.drop(databases[0]); // its 10 GB would compete for the OS cache with the second's
            }
            benchmark.run(1, databases[1], "17");
            benchmark.print();
            Targets.print(benchmark.results, benchmark.growthDays);
        } finally {
            if (!keep) {
                for (String database : databases) {
                    benchmark.drop(database);
                }
            }
        }
    }

    /** Column 0 for the unpartitioned schema (target "4"); otherwise columns 1 (V17) and 2 (V20). */
    private void run(int column, String database, String flywayTarget) throws Exception {
        boolean partitioned = !flywayTarget.equals("4");
        OUT.printf("%n== %s%n", database);
        String url = create(database, flywayTarget);
        LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC).minusDays(days);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            if (!partitioned) {
                // The writer sends V13's trace columns; the unpartitioned copy gets them as V13 adds them.
                s.execute("ALTER TABLE email_activity_log ADD COLUMN trace_id VARCHAR(32), ADD COLUMN span_id VARCHAR(16)");
            } else {
                // as maintenance would have made them day by day
                s.execute("UPDATE email_activity_partition_settings SET partition_days = " + partitionDays);
                s.execute("SELECT email_activity_create_partition('email_activity_log', d)"
                        + " FROM generate_series(TIMESTAMP '" + start + "', timezone('UTC', now()), interval '1 day') d");
            }
            ScaleIngest.rate(url, 1, 3); // warm-up (JIT, connections, caches); not recorded
            s.execute("TRUNCATE email_activity_log");
            s.execute("CHECKPOINT");
            record(column, "ingest, empty table, 1 writer (rows/s)", ingest(url, 1));
            record(column, "ingest, empty table, 4 writers (rows/s)", ingest(url, 4));
            s.execute("TRUNCATE email_activity_log");
            long loadStart = System.nanoTime();
            ScaleLoad.fill(url, rows, days, start.toString().replace('T', ' '), loadStart);
            long loadedThroughId = (long) queryDouble(s, "SELECT max(id) FROM email_activity_log");
            s.execute("VACUUM ANALYZE");
            s.execute("CHECKPOINT");
            if (partitioned) {
                s.execute("CALL email_activity_maintain()");
            }
            record(column, "load by INSERT ... SELECT, " + ScaleLoad.LOADERS + " sessions (rows/s)", rows / ((System.nanoTime() - loadStart) / 1e9));
            measure(column, url, c, s, partitioned);
            if (!partitioned) {
                ScaleRetention.run(column, s, this::record);
                return;
            }
            // The upgrade: V18 to V20, and the maintenance run that merges the cold months and the hot weeks.
            dropIngestedRows(s, loadedThroughId);
            OUT.printf("%n== %s after V20%n", database);
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/mailtrail").load().migrate();
            long t0 = System.nanoTime();
            s.execute("CALL email_activity_maintain()");
            record(2, "upgrade: first maintenance run, merging the cold months (s)", (System.nanoTime() - t0) / 1e9);
            s.execute("VACUUM ANALYZE email_activity_log");
            measure(2, url, c, s, true);
            dropIngestedRows(s, loadedThroughId);
            s.execute("VACUUM ANALYZE email_activity_log");
            for (boolean years : new boolean[] {false, true}) {
                GrowthReads.grow(s, growthDays, years);
                nonPruned(2, url, c, s, Targets.grown(growthDays, years));
                GrowthReads.shrink(s);
            }
            ScaleRetention.run(2, s, this::record);
        }
    }

    private void measure(int column, String url, Connection c, Statement s, boolean partitioned) throws Exception {
        double bytes = queryDouble(s, partitioned
                ? "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('email_activity_log')"
                : "SELECT pg_total_relation_size('email_activity_log')");
        record(column, "log size with indexes (MB per million events)", bytes / 1e6 / (rows / 1e6));
        ScaleLoad.prewarm(s);
        reads(column, c, partitioned);
        nonPruned(column, url, c, s, "");
        double[] useCases = SeedUseCases.medians(url, 3);
        for (int q = 0; q < SeedUseCases.QUERIES.length; q++) {
            record(column, "seed use case " + (q + 1) + ", verbatim, psql, server defaults (ms)", useCases[q]);
        }
        record(column, "seed use cases 1-5, verbatim, sum (ms)", useCases[SeedUseCases.QUERIES.length]);
        record(column, "ingest, loaded table, 1 writer (rows/s)", ingest(url, 1));
        record(column, "ingest, loaded table, 4 writers (rows/s)", ingest(url, 4));
    }

    /** The reads that cannot prune by time, named with {@code suffix} (the grown history's). */
    private void nonPruned(int column, String url, Connection c, Statement s, String suffix) throws SQLException {
        int emails = (int) (rows / 10);
        record(column, "partitions of the log" + suffix, PlainSqlReads.partitions(s));
        double[] view = PlainSqlReads.warmView(url, emails, samples);
        record(column, "seed's view from psql, warm session" + suffix + ", p50 (ms)", view[0]);
        record(column, "seed's view from psql, warm session" + suffix + ", p99 (ms)", view[1]);
        double[] first = PlainSqlReads.firstQueryOfNewSession(url, emails, 30);
        record(column, "seed's view from psql, new session's first query" + suffix + ", p50 (ms)", first[0]);
        record(column, "seed's view from psql, new session's first query" + suffix + ", p99 (ms)", first[1]);
        if (!suffix.isEmpty()) {
            SplittableRandom random = new SplittableRandom(43);
            ActivityQueries api = new ActivityQueries(OneConnection.of(c));
            timed(column, "timeline of one email, API (ActivityQueries.timeline)" + suffix, samples,
                    () -> api.timeline(1 + random.nextInt(emails), 50, null, true));
            recent(column, c, suffix);
            timed(column, "statistics (/activity/stats)" + suffix, c, "SELECT * FROM email_activity_stats ORDER BY count DESC",
                    samples, p -> { });
        }
    }

    private void reads(int column, Connection c, boolean partitioned) throws SQLException {
        SplittableRandom random = new SplittableRandom(42);
        int emails = (int) (rows / 10);
        // The client's JIT compiles the driver's and the API's read paths during the first few
        // thousand queries; until then the first reads timed pay for it in their tails. Not recorded.
        // As many as the samples, at most 3,000: at 370 daily partitions one costs a quarter second.
        ActivityQueries api = new ActivityQueries(OneConnection.of(c));
        try (PreparedStatement p = c.prepareStatement(ACTIVITY + " WHERE a.email_id = ?")) {
            for (int i = 0; i < Math.min(3_000, samples); i++) {
                p.setInt(1, 1 + random.nextInt(emails));
                drain(p);
                api.timeline(1 + random.nextInt(emails), 50, null, true);
            }
        }
        timed(column, "timeline of one email", c, ACTIVITY + " WHERE a.email_id = ? ORDER BY a.created_at DESC, a.id DESC",
                samples, p -> p.setInt(1, 1 + random.nextInt(emails)));
        // The API's own path: the first page of up to 50 events with its high-water id, as
        // GET /emails/{id}/activity sends it (the users join, metadata as text).
        timed(column, "timeline of one email, API (ActivityQueries.timeline)", samples,
                () -> api.timeline(1 + random.nextInt(emails), 50, null, true));
        recent(column, c, "");
        timed(column, "statistics (/activity/stats)", c, partitioned
                ? "SELECT * FROM email_activity_stats ORDER BY count DESC"
                : "SELECT event_type, event_category, count(*) AS count, max(created_at) AS last_occurrence"
                        + " FROM email_activity_log GROUP BY event_type, event_category ORDER BY count DESC",
                partitioned ? samples : 3, p -> { });
        String useCase2 = "SELECT email_id, description, (metadata->>'execution_time_ms')::int AS exec_time"
                + " FROM email_activity_log WHERE event_type = 'workflow_executed' AND " + LAST_7_DAYS
                + " ORDER BY exec_time DESC LIMIT 10";
        timed(column, "use case 2, last 7 days, seed's query", c, useCase2, 3, p -> { });
        if (partitioned) {
            timed(column, "use case 2, last 7 days, indexed form", c, useCase2.replace("ORDER BY exec_time DESC",
                    "ORDER BY email_activity_execution_ms(metadata) DESC NULLS LAST"), samples, p -> { });
        }
        String useCase5 = "SELECT metadata->>'workflow_name' AS workflow,"
                + " COUNT(*) FILTER (WHERE metadata->>'status' = 'completed') AS success,"
                + " COUNT(*) FILTER (WHERE metadata->>'status' = 'failed') AS failed,"
                + " ROUND(100.0 * COUNT(*) FILTER (WHERE metadata->>'status' = 'completed') / COUNT(*), 2) AS success_rate"
                + " FROM email_activity_log WHERE event_type = 'workflow_executed' AND " + LAST_7_DAYS
                + " GROUP BY workflow ORDER BY success_rate DESC";
        timed(column, "use case 5, last 7 days, seed's query", c, useCase5, 3, p -> { });
        if (partitioned) {
            timed(column, "use case 5, last 7 days, rollup form", c, "SELECT workflow, sum(success) AS success,"
                    + " sum(failed) AS failed, round(100.0 * sum(success) / sum(total), 2) AS success_rate"
                    + " FROM email_activity_workflow_stats WHERE day >= date_trunc('day', timezone('UTC', now()))"
                    + " - interval '7 days' GROUP BY workflow ORDER BY success_rate DESC", samples, p -> { });
        }
    }

    private void recent(int column, Connection c, String suffix) throws SQLException {
        SplittableRandom random = new SplittableRandom(44);
        timed(column, "recent activity, no filter" + suffix, c, ACTIVITY + RECENT_ORDER, samples, p -> { });
        timed(column, "recent activity, type=error" + suffix, c, ACTIVITY + " WHERE a.event_type = 'error'" + RECENT_ORDER,
                samples, p -> { });
        timed(column, "recent activity, category=user" + suffix, c, ACTIVITY + " WHERE a.event_category = 'user'" + RECENT_ORDER,
                samples, p -> { });
        timed(column, "recent activity, rare user" + suffix, c, ACTIVITY + " WHERE a.user_id = " + ScaleLoad.RARE_USER
                + RECENT_ORDER, samples, p -> { });
        timed(column, "recent activity, one day's range" + suffix, c, ACTIVITY
                + " WHERE a.created_at >= ? AND a.created_at < ?" + RECENT_ORDER, samples, p -> {
                    LocalDateTime day = LocalDateTime.now(ZoneOffset.UTC).minusDays(1 + random.nextInt(days - 1));
                    p.setObject(1, day);
                    p.setObject(2, day.plusDays(1));
                });
    }

    private double ingest(String url, int writers) throws Exception {
        return ScaleIngest.rate(url, writers, ingestSeconds);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface Read {
        void run() throws SQLException;
    }

    /** Times {@code sql} run with the parameters {@code binder} sets; see {@link #timed(int, String, int, Read)}. */
    private void timed(int column, String name, Connection c, String sql, int count, Binder binder) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            timed(column, name, count, () -> {
                binder.bind(p);
                drain(p);
            });
        }
    }

    /**
     * Runs a read {@code count} times and records p50 and p99 in ms. Up to 20 unmeasured runs come
     * first, as a long-running reader's connection would have had: the driver prepares a statement
     * on the server at its fifth use and PostgreSQL settles on a cached plan after five more, and
     * the custom plans before that cost tens of milliseconds with a hundred partitions to plan.
     */
    private void timed(int column, String name, int count, Read read) throws SQLException {
        double[] ms = new double[count];
        int done = 0;
        // A slow read (a full scan) gets a 20 s budget, at least 3 runs: p99 is then the maximum.
        // Its warm-up stops after 5 s, one run at least.
        long warmUpEnd = System.nanoTime() + 5_000_000_000L;
        long budgetEnd = warmUpEnd + 15_000_000_000L;
        for (int i = -Math.min(20, count); i < count && (i < 3 || System.nanoTime() < budgetEnd); i++) {
            if (i < -1 && System.nanoTime() > warmUpEnd) {
                i = -1; // skip to the last warm-up run
            }
            long t0 = System.nanoTime();
            read.run();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
                done = i + 1;
            }
        }
        double[] measured = java.util.Arrays.copyOf(ms, done);
        java.util.Arrays.sort(measured);
        record(column, name + ", p50 (ms)", measured[(int) Math.floor(0.5 * (done - 1))]);
        record(column, name + ", p99 (ms)", measured[(int) Math.ceil(0.99 * (done - 1))]);
    }

    private void record(int column, String name, double value) {
        double[] values = results.computeIfAbsent(name, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
        values[column] = value;
        OUT.printf("  %-52s %s%n", name, Targets.format(value));
    }

    private void print() {
        OUT.printf(Locale.ROOT, "%n| %,d events over %d days | %s | %s | %s |%n", rows, days, COLUMNS[0], COLUMNS[1],
                COLUMNS[2]);
        OUT.println("|---|---:|---:|---:|");
        results.forEach((name, values) -> OUT.printf("| %s | %s | %s | %s |%n", name, Targets.format(values[0]),
                Targets.format(values[1]), Targets.format(values[2])));
    }

    private String create(String database, String flywayTarget) throws SQLException {
        drop(database);
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        var flyway = Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/mailtrail");
        if (flywayTarget != null) {
            flyway.target(flywayTarget);
        }
        flyway.load().migrate();
        return url;
    }

    private void drop(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Runs the statement and reads every row it returns, as a reader of the API would. */
    private static void drain(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    /**
     * Removes the rows the ingest phases wrote after the load: hundreds of thousands of the newest
     * rows of one mix, which the previous layout's reads never had in front of them, would have
     * the next reads' filtered "newest first" scans walk past them (153 ms p50 with them).
     */
    private static void dropIngestedRows(Statement s, long loadedThroughId) throws SQLException {
        s.execute("DELETE FROM email_activity_log WHERE id > " + loadedThroughId);
    }
}
