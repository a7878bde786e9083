package io.mailtrail.benchmarks.scale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;

/**
 * V20 makes today's partition a week wide instead of a day: does the writer's rate depend on that?
 * Two databases at the latest schema, each with only today's partition: a week wide, prefilled
 * with at least a week of a 20M-a-year trail (--week-rows, default 374,000), and a day wide with
 * at least half a day (--day-rows, default 27,000; a prefill step writes some 90,000). Then the writer's binary COPY
 * ({@link ScaleIngest}, 1 writer) into each, alternating, --rounds times --seconds seconds; each
 * line gives the partition's rows and size after the phase (both grow as they are written).
 *
 * <pre>java -cp benchmarks/target/mailtrail-benchmarks.jar io.mailtrail.benchmarks.scale.PartitionWidthIngest [--rounds 3] [--seconds 5]</pre>
 */
public final class PartitionWidthIngest {

    private static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private PartitionWidthIngest() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 5;
        long weekRows = 374_000;
        long dayRows = 27_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--week-rows" -> weekRows = Long.parseLong(args[++i]);
                case "--day-rows" -> dayRows = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String week = database("mailtrail_bench_width_week", 7);
        String day = database("mailtrail_bench_width_day", 1);
        try {
            prefill(week, weekRows);
            prefill(day, dayRows);
            for (int round = 1; round <= rounds; round++) {
                for (String url : new String[] {week, day}) {
                    double rate = ScaleIngest.rate(url, 1, seconds);
                    System.out.printf(Locale.ROOT, "round %d, today's partition %s: 1 writer %,.0f rows/s; partition now %s%n",
                            round, url == week ? "a week wide" : "a day wide ", rate, partition(url));
                }
            }
        } finally {
            drop("mailtrail_bench_width_week");
            drop("mailtrail_bench_width_day");
        }
    }

    /** A database at the latest schema whose log has only today's partition, {@code days} wide. */
    private static String database(String name, int days) throws Exception {
        drop(name);
        try (Connection c = DriverManager.getConnection(SERVER_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = SERVER_URL.replace("/postgres?", "/" + name + "?");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/mailtrail").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("""
                    DO $$ DECLARE v_part REGCLASS; BEGIN
                        FOR v_part IN SELECT partition FROM email_activity_partitions('email_activity_log') WHERE NOT is_default LOOP
                            EXECUTE format('DROP TABLE %s', v_part);
                        END LOOP;
                    END $$""");
            s.execute("UPDATE email_activity_partition_settings SET partition_days = " + days);
            s.execute("SELECT email_activity_create_partition('email_activity_log', timezone('UTC', now()))");
        }
        return url;
    }

    private static void prefill(String url, long rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            while (ScaleSql.queryDouble(s, "SELECT count(*) FROM email_activity_log") < rows) {
                ScaleIngest.rate(url, 2, 1);
            }
            s.execute("VACUUM ANALYZE email_activity_log");
            s.execute("CHECKPOINT");
        }
        System.out.println("prefilled: " + partition(url));
    }

    private static String partition(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT tableoid::regclass || ' ' || count(*) || ' rows, '"
                        + " || pg_size_pretty(pg_total_relation_size(tableoid::regclass))"
                        + " FROM email_activity_log GROUP BY tableoid")) {
            r.next();
            return r.getString(1);
        }
    }

    private static void drop(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
