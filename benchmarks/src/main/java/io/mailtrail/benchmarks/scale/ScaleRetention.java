package io.mailtrail.benchmarks.scale;

import java.sql.SQLException;
import java.sql.Statement;

/** The retention part of {@link ScaleBenchmark}. */
final class ScaleRetention {

    /** The two parts' times in the NOTICE of the partitioned log's retention procedures (V12). */
    private static final java.util.regex.Pattern RETENTION_PARTS =
            java.util.regex.Pattern.compile("whole partitions (\\d+) ms, rows in batches (\\d+) ms");

    /** Where a figure goes: {@link ScaleBenchmark}'s table. */
    @FunctionalInterface
    interface Recorder {
        void record(int column, String name, double value);
    }

    private ScaleRetention() {
    }

    /**
     * A backlog purge (91 days: everything older at once), the next day's purge (90 days: one
     * day's rows) and the seed's 30-day archive, each with its time, rows, the rows of the day that
     * straddles its cutoff and the dead rows it left; the backlog purge also with the partitions it
     * wrote anew (their file changed).
     */
    static void run(int column, Statement s, Recorder recorder) throws SQLException {
        for (String[] job : new String[][] {{"backlog purge (older than 91 days)", "91", "CALL purge_email_activity(91)"},
                {"daily purge (older than 90 days, the next day)", "90", "CALL purge_email_activity(90)"},
                {"archive older than 30 days", "30", "CALL archive_email_activity(30)"}}) {
            String cutoff = "timezone('UTC', now()) - interval '" + job[1] + " days'";
            String files = "SELECT coalesce(string_agg(c.oid || ':' || c.relfilenode, ',' ORDER BY c.oid), '')"
                    + " FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE 'email_activity_log%'"
                    + " AND c.relname NOT LIKE 'email_activity_log_archive%'";
            String filesBefore = ScaleSql.queryString(s, files);
            long removed = (long) ScaleSql.queryDouble(s, "SELECT count(*) FROM email_activity_log WHERE created_at < " + cutoff);
            long straddling = (long) ScaleSql.queryDouble(s, "SELECT count(*) FROM email_activity_log WHERE created_at"
                    + " >= date_trunc('day', " + cutoff + ") AND created_at < " + cutoff);
            s.execute("SELECT pg_stat_force_next_flush()");
            double deadBefore = ScaleSql.queryDouble(s, "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"
                    + " WHERE relname LIKE 'email_activity_log%'");
            long t0 = System.nanoTime();
            s.clearWarnings();
            s.execute(job[2]);
            double ms = (System.nanoTime() - t0) / 1e6;
            // The partitioned log's procedure says how long its two parts took (V12).
            for (java.sql.SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                var parts = RETENTION_PARTS.matcher(w.getMessage());
                if (parts.find()) {
                    recorder.record(column, job[0] + ", of which whole partitions (ms)", Double.parseDouble(parts.group(1)));
                    recorder.record(column, job[0] + ", of which straddling rows (ms)", Double.parseDouble(parts.group(2)));
                }
            }
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("SELECT 1");
            ScaleSql.sleep(1500);
            double dead = ScaleSql.queryDouble(s, "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"
                    + " WHERE relname LIKE 'email_activity_log%'");
            recorder.record(column, job[0] + " (ms)", ms);
            recorder.record(column, job[0] + " (rows)", removed);
            recorder.record(column, job[0] + ", rows in the day straddling the cutoff", straddling);
            recorder.record(column, job[0] + ", dead rows it left", Math.max(0, dead - deadBefore));
            if (job[1].equals("91")) {
                java.util.Set<String> after = java.util.Set.of(ScaleSql.queryString(s, files).split(","));
                java.util.Set<String> oids = new java.util.HashSet<>();
                for (String file : after) {
                    oids.add(file.split(":")[0]);
                }
                long rewritten = java.util.Arrays.stream(filesBefore.split(","))
                        .filter(f -> !f.isEmpty() && oids.contains(f.split(":")[0]) && !after.contains(f)).count();
                recorder.record(column, job[0] + ", tables it wrote anew", rewritten);
            }
            s.execute("VACUUM email_activity_log");
        }
    }
}
