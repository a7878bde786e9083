package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void linesGoToStandardErrorAndTheReportFile() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(err, true, StandardCharsets.UTF_8));
        Path file = dir.resolve("report.txt");

        report.line("before the file");
        report.alsoTo(file);
        report.line("after the file");

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[mailtrail-agent] before the file",
                "[mailtrail-agent] after the file");
        assertThat(Files.readAllLines(file)).containsExactly("[mailtrail-agent] after the file");
    }

    @Test
    void anUnwritableFileIsReportedAndStandardErrorKept() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(err, true, StandardCharsets.UTF_8));

        report.alsoTo(dir.resolve("no/such/dir/report.txt"));
        report.line("still here");

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("CONFIG cannot write the report to",
                "[mailtrail-agent] still here");
    }
}
