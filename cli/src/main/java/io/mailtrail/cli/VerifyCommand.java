package io.mailtrail.cli;

import io.mailtrail.core.integrity.Finding;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Verifier;
import io.mailtrail.core.integrity.VerifyListener;
import io.mailtrail.core.integrity.VerifyReport;
import io.mailtrail.core.integrity.WindowVerdict;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: one line per window (its verdict and row count), one indented line per
 * finding, progress on stderr about once a second, and a summary with the rate.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = MailtrailCli.Version.class,
        synopsisHeading = "usage: ",
        description = "Checks every row against the signed digests; exit code 0 only when all verify.")
final class VerifyCommand implements Callable<Integer>, VerifyListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", paramLabel = "URL", required = true, description = "the database (jdbc:postgresql:...)")
    String jdbcUrl;

    @Option(names = "--public-key", paramLabel = "FILE", required = true,
            description = "a public key from keygen; repeat it for older keys")
    List<Path> publicKeys;

    @Option(names = "--max-seal-lag", paramLabel = "DURATION", defaultValue = "2h", converter = DurationConverter.class,
            description = "rows younger than this need no digest yet (default: ${DEFAULT-VALUE})")
    Duration maxSealLag;

    @Option(names = "--only-problems", paramLabel = "true|false", arity = "1", defaultValue = "false",
            description = "print only the windows that failed (default: ${DEFAULT-VALUE})")
    boolean onlyProblems;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "parallel verifying connections, 1 to 16 (default: ${DEFAULT-VALUE})")
    String workers;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws IOException, SQLException {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        List<IntegrityKeys.VerifyingKey> keys = new ArrayList<>();
        for (Path file : publicKeys) {
            keys.add(IntegrityKeys.readPublicKey(file));
        }
        Duration lag = maxSealLag;
        Verifier verifier = new Verifier(keys, lag, Clock.systemUTC());
        out.println("mailtrail verify: keys " + keys.stream().map(IntegrityKeys.VerifyingKey::keyId).toList()
                + ", rows younger than " + lag + " need no digest yet (times are UTC)");
        int workers = workers(this.workers);
        String url = jdbcUrl;
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
        throw new MailtrailCli.UsageException("--workers must be a number from 1 to 16, got '" + text + "'");
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
