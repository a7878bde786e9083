package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exports are streamed: a million rows (about 500 MB of CSV) go through the export writers in a
 * child JVM whose heap is 48 MB. Holding the rows, or letting the driver read the whole result,
 * would end in an OutOfMemoryError there.
 */
@MailtrailDatabase
class ExportHeapTest {

    private static final int ROWS = 1_000_000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aMillionRowExportRunsInA48MegabyteHeap(TestDatabase db) throws Exception {
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                                created_at, created_by)
                SELECT 1 + i / 20, 'workflow_executed', 'workflow',
                       'Workflow ''Invoice Processing'' completed in ' || i || ' ms for the vendor Acme Corp',
                       jsonb_build_object('workflow_name', 'Invoice Processing', 'status', 'completed',
                                          'execution_time_ms', i, 'steps', jsonb_build_array('extract', 'link', 'notify'),
                                          'note', repeat('x', 200)),
                       '2025-01-01'::timestamp + make_interval(secs => i), 'system'
                FROM generate_series(1, ?) AS i""", ROWS);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                ExportHeapCheck.class.getName(), db.jdbcUrl()).redirectErrorStream(true).start();
        String output;
        try (var in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(l -> l.contains(" rows=")).toList();
        assertThat(lines).as(output).hasSize(2).allSatisfy(l -> assertThat(l).contains(" rows=" + ROWS + " "));
        long csvChars = Long.parseLong(lines.get(0).replaceAll(".* chars=(\\d+) .*", "$1"));
        assertThat(csvChars).as("far more text than the heap holds").isGreaterThan(400L * 1024 * 1024);
        System.out.println("ExportHeapTest: " + lines);
    }
}
