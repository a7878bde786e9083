package io.mailtrail.cli;

import io.mailtrail.core.integrity.Finding;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Verifier;
import io.mailtrail.core.integrity.VerifyListener;
import io.mailtrail.core.integrity.VerifyReport;
import io.mailtrail.core.integrity.WindowVerdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify}: one line per window (its verdict and row count), one indented line per
 * finding, progress on stderr about once a second, and a summary with the rate.
 */
final class VerifyCommand implements VerifyListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Arguments arguments;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean onlyProblems;

    VerifyCommand(Arguments arguments, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.out = out;
        this.err = err;
        this.onlyProblems = Boolean.parseBoolean(arguments.optional("only-problems", "false"));
    }

    int run() throws IOException, SQLException {
        List<IntegrityKeys.VerifyingKey> keys = new ArrayList<>();
        for (String file : arguments.all("public-key")) {
            keys.add(IntegrityKeys.readPublicKey(Path.of(file)));
        }
        if (keys.isEmpty()) {
            throw new Arguments.UsageException("verify: option --public-key is required");
        }
        Duration lag = arguments.duration("max-seal-lag", Duration.ofHours(2));
        Verifier verifier = new Verifier(keys, lag, Clock.systemUTC());
        out.println("mailtrail verify: keys " + keys.stream().map(IntegrityKeys.VerifyingKey::keyId).toList()
                + ", rows younger than " + lag + " need no digest yet (times are UTC)");
        int workers = workers(arguments.optional("workers", "2"));
        String url = arguments.required("jdbc-url");
        VerifyReport report;
        try (Connection connection = MailtrailCli.connect(url)) {
            report = verifier.verify(connection, () -> MailtrailCli.connect(url), workers, this);
        }
        out.printf(Locale.ROOT, "%s: %,d rows in %,d windows, %,d digests, %.1f s, %,.0f rows/s%n",
                report.intact() ? "INTACT" : "PROBLEMS FOUND in " + report.failedWindows() + " window(s)",
                report.rowsChecked(), report.windows(), report.digests(),
                report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
        return report.intact() ? MailtrailCli.OK : MailtrailCli.PROBLEMS_FOUND;
    }

    private static int workers(String text) {
        try {
            int workers = Integer.parseInt(text);
            if (workers >= 1 && workers <= 16) {
                return workers;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Arguments.UsageException("verify: --workers must be a number from 1 to 16, got '" + text + "'");
    }

    @Override
    public void onWindow(WindowVerdict verdict) {
        if (onlyProblems && !verdict.status().failure()) {
            return;
        }
        out.printf(Locale.ROOT, "%s .. %s  %-14s %,d rows%n", format(verdict.start()), format(verdict.end()),
                verdict.status(), verdict.rows());
        for (Finding finding : verdict.findings()) {
            out.println("    " + finding);
        }
    }

    @Override
    public void onProgress(long rowsChecked, long windowsChecked, double rowsPerSecond) {
        err.printf(Locale.ROOT, "  ... %,d rows checked in %,d windows, %,.0f rows/s%n",
                rowsChecked, windowsChecked, rowsPerSecond);
    }

    private static String format(LocalDateTime time) {
        return time == null ? "now                " : TIME.format(time);
    }
}
