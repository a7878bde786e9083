package io.mailtrail.benchmarks.scale;

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
 * The log at scale, today's unpartitioned schema (V1-V4) and the partitioned one (V5+) side by
 * side in one run: N events over 120 days (default 20M, see {@link ScaleLoad}) are loaded into
 * each, then the API's reads, the statistics, seed use cases 2 and 5 over the last 7 days,
 * purge (90 days) and archive (30 days) are timed, and the writer's ingest rate is measured into
 * the empty and into the loaded table, with one and with four writers.
 *
 * <p>Usage: {@code java -cp benchmarks/target/mailtrail-benchmarks.jar
 * io.mailtrail.benchmarks.scale.ScaleBenchmark [--rows 20000000] [--ingest-seconds 15]
 * [--samples 1000] [--keep] [--jdbc-url URL]}. It creates and, unless {@code --keep}, drops the
 * databases {@code mailtrail_scale_unpartitioned} and {@code mailtrail_scale_partitioned}.
 * 20M rows take about 10 GB per schema.
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
    /** The two parts' times in the NOTICE of the partitioned log's retention procedures (V12). */
    private static final java.util.regex.Pattern RETENTION_PARTS =
            java.util.regex.Pattern.compile("whole partitions (\\d+) ms, rows in batches (\\d+) ms");
    private static final String LAST_7_DAYS = "created_at > timezone('UTC', now()) - interval '7 days'";

    private final long rows;
    private final int ingestSeconds;
    private final int samples;
    private final int partitionDays;
    private final String serverUrl;
    private final Map<String, String[]> results = new LinkedHashMap<>();

    private ScaleBenchmark(long rows, int ingestSeconds, int samples, int partitionDays, String serverUrl) {
        this.rows = rows;
        this.ingestSeconds = ingestSeconds;
        this.samples = samples;
        this.partitionDays = partitionDays;
        this.serverUrl = serverUrl;
    }

    public static void main(String[] args) throws Exception {
        long rows = 20_000_000;
        int ingestSeconds = 15;
        int samples = 1000;
        boolean keep = false;
        int partitionDays = 1;
        boolean partitionedOnly = false;
        String url = System.getenv().getOrDefault("MAILTRAIL_BENCH_JDBC_URL", SERVER_URL);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--ingest-seconds" -> ingestSeconds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--partition-days" -> partitionDays = Integer.parseInt(args[++i]);
                case "--partitioned-only" -> partitionedOnly = true;
                case "--jdbc-url" -> url = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --rows, --ingest-seconds, --samples, --partition-days, --partitioned-only,"
                        + " --keep, --jdbc-url");
            }
        }
        if (rows < 1000) {
            throw new IllegalArgumentException("--rows must be at least 1000, was " + rows);
        }
        ScaleBenchmark benchmark = new ScaleBenchmark(rows, ingestSeconds, samples, partitionDays, url);
        OUT.printf(Locale.ROOT, "ScaleBenchmark: %,d events over %d days, %d samples per read, %d s per ingest phase,"
                + " %d CPUs%n", rows, ScaleLoad.DAYS, samples, ingestSeconds, Runtime.getRuntime().availableProcessors());
        String[] databases = {"mailtrail_scale_unpartitioned", "mailtrail_scale_partitioned"};
        try {
            if (!partitionedOnly) {
                benchmark.run(0, databases[0], "4");
            }
            if (!keep) {
                benchmark.drop(databases[0]); // its 10 GB would compete for the OS cache with the second's
            }
            benchmark.run(1, databases[1], null);
            benchmark.print();
        } finally {
            if (!keep) {
                for (String database : databases) {
                    benchmark.drop(database);
                }
            }
        }
    }

    private void run(int column, String database, String flywayTarget) throws Exception {
        boolean partitioned = flywayTarget == null;
        OUT.printf("%n== %s%n", database);
        String url = create(database, flywayTarget);
        LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC).minusDays(ScaleLoad.DAYS);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            if (partitioned) {
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
            ScaleLoad.fill(url, rows, start.toString().replace('T', ' '), loadStart);
            s.execute("VACUUM ANALYZE");
            s.execute("CHECKPOINT");
            if (partitioned) {
                s.execute("CALL email_activity_maintain()");
            }
            record(column, "load by INSERT ... SELECT, " + ScaleLoad.LOADERS + " sessions (rows/s)", rows / ((System.nanoTime() - loadStart) / 1e9));
            double bytes = queryDouble(s, partitioned
                    ? "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('email_activity_log')"
                    : "SELECT pg_total_relation_size('email_activity_log')");
            record(column, "log size with indexes (MB per million events)", bytes / 1e6 / (rows / 1e6));
            ScaleLoad.prewarm(s);
            reads(column, c, partitioned);
            record(column, "ingest, loaded table, 1 writer (rows/s)", ingest(url, 1));
            record(column, "ingest, loaded table, 4 writers (rows/s)", ingest(url, 4));
            s.execute("VACUUM ANALYZE email_activity_log");
            retention(column, c, s);
        }
    }

    private void reads(int column, Connection c, boolean partitioned) throws SQLException {
        SplittableRandom random = new SplittableRandom(42);
        int emails = (int) (rows / 10);
        // The client's JIT compiles the driver's and the API's read paths during the first few
        // thousand queries; until then the first reads timed pay for it in their tails. Not recorded.
        ActivityQueries api = new ActivityQueries(OneConnection.of(c));
        try (PreparedStatement p = c.prepareStatement(ACTIVITY + " WHERE a.email_id = ?")) {
            for (int i = 0; i < 3_000; i++) {
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
        timed(column, "recent activity, no filter", c, ACTIVITY + RECENT_ORDER, samples, p -> { });
        timed(column, "recent activity, type=error", c, ACTIVITY + " WHERE a.event_type = 'error'" + RECENT_ORDER,
                samples, p -> { });
        timed(column, "recent activity, category=user", c, ACTIVITY + " WHERE a.event_category = 'user'" + RECENT_ORDER,
                samples, p -> { });
        timed(column, "recent activity, rare user", c, ACTIVITY + " WHERE a.user_id = " + ScaleLoad.RARE_USER
                + RECENT_ORDER, samples, p -> { });
        timed(column, "recent activity, one day's range", c, ACTIVITY
                + " WHERE a.created_at >= ? AND a.created_at < ?" + RECENT_ORDER, samples, p -> {
                    LocalDateTime day = LocalDateTime.now(ZoneOffset.UTC).minusDays(1 + random.nextInt(ScaleLoad.DAYS - 1));
                    p.setObject(1, day);
                    p.setObject(2, day.plusDays(1));
                });
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

    private void retention(int column, Connection c, Statement s) throws SQLException {
        for (String[] job : new String[][] {{"purge older than 90 days", "CALL purge_email_activity(90)"},
                {"archive older than 30 days", "CALL archive_email_activity(30)"}}) {
            int days = job[0].contains("90") ? 90 : 30;
            long removed = (long) queryDouble(s, "SELECT count(*) FROM email_activity_log WHERE created_at < timezone('UTC',"
                    + " now()) - interval '" + days + " days'");
            // Rows of the day that straddles the cutoff: the only ones a partitioned log deletes
            // one by one (how many depends on the time of day of the run).
            long straddling = (long) queryDouble(s, "SELECT count(*) FROM email_activity_log WHERE created_at"
                    + " >= date_trunc('day', timezone('UTC', now()) - interval '" + days + " days')"
                    + " AND created_at < timezone('UTC', now()) - interval '" + days + " days'");
            long t0 = System.nanoTime();
            s.clearWarnings();
            s.execute(job[1]);
            double ms = (System.nanoTime() - t0) / 1e6;
            // The partitioned log's procedure says how long its two parts took (V12).
            for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                var parts = RETENTION_PARTS.matcher(w.getMessage());
                if (parts.find()) {
                    record(column, job[0] + ", of which whole partitions (ms)", Double.parseDouble(parts.group(1)));
                    record(column, job[0] + ", of which straddling rows (ms)", Double.parseDouble(parts.group(2)));
                }
            }
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("SELECT 1");
            sleep(1500);
            double dead = queryDouble(s, "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"
                    + " WHERE relname LIKE 'email_activity_log%'");
            record(column, job[0] + " (ms)", ms);
            record(column, job[0] + " (rows)", removed);
            record(column, job[0] + ", rows in the day straddling the cutoff", straddling);
            record(column, job[0] + ", dead rows left", dead);
        }
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
        String text = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        results.computeIfAbsent(name, k -> new String[] {"-", "-"})[column] = text;
        OUT.printf("  %-52s %s%n", name, text);
    }

    private void print() {
        OUT.printf(Locale.ROOT, "%n| %,d events | unpartitioned (V1-V4) | partitioned + rollup (V5-V12), %d-day partitions |%n",
                rows, partitionDays);
        OUT.println("|---|---:|---:|");
        results.forEach((name, values) -> OUT.printf("| %s | %s | %s |%n", name, values[0], values[1]));
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

    private static double queryDouble(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
