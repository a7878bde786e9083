package io.mailtrail.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo command, run against a fresh database it migrates itself. */
@MailtrailDatabase(migrate = false)
class LifecycleDemoTest {

    @Test
    void logsTheLifecycleAndPrintsTheTimelineNewestFirst(TestDatabase db) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setProperty("mailtrail.jdbc.url", db.jdbcUrl());
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            LifecycleDemo.main(new String[0]);
        } finally {
            System.setOut(original);
            System.clearProperty("mailtrail.jdbc.url");
        }

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("(writer: 10 accepted, 10 written, 0 dropped)");
        assertThat(output.indexOf("invoice_sent")).isLessThan(output.indexOf("status_changed"));
        assertThat(output.indexOf("status_changed")).isLessThan(output.indexOf("classified"));
        assertThat(output.indexOf("classified")).isLessThan(output.indexOf("fetched"));
        assertThat(db.count("SELECT count(*) FROM email_timeline WHERE user_name = 'Alice Andersen'")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(10);
    }
}
