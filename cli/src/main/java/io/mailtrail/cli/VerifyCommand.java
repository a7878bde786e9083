package io.mailtrail.cli;

import io.mailtrail.core.integrity.ChainHead;
import io.mailtrail.core.integrity.Checkpoint;
import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.Finding;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Verifier;
import io.mailtrail.core.integrity.VerifyListener;
import io.mailtrail.core.integrity.VerifyOptions;
import io.mailtrail.core.integrity.VerifyReport;
import io.mailtrail.core.integrity.WindowVerdict;
import io.mailtrail.timestamp.TimestampChecker;
import io.mailtrail.timestamp.TimestampFile;
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

    @Option(names = "--checkpoints", paramLabel = "FILE",
            description = "checkpoints the sealer kept outside the database; each must still be in the chain")
    Path checkpoints;

    @Option(names = "--expect-head", paramLabel = "LINE",
            description = "a head line printed by an earlier verify (or a checkpoint line); fails unless the chain"
                    + " still holds it")
    String expectHead;

    @Option(names = "--max-late", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "a late row sealed more than this after its created_at is back-dated (default: ${DEFAULT-VALUE})")
    Duration maxLate;

    @Option(names = "--min-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "a retention run that removed rows younger than this is a failure (default: no bound)")
    Duration minRetention;

    @Option(names = "--tsa-cert", paramLabel = "FILE",
            description = "the timestamp authority's certificate (PEM or DER): every checkpoint must carry a time stamp"
                    + " it signed (time stamps are checked whenever FILE.tsr is beside --checkpoints FILE)")
    Path tsaCert;

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
        ChainHead expected;
        try {
            expected = expectHead == null ? null : ChainHead.parse(expectHead);
        } catch (IllegalArgumentException e) {
            throw new MailtrailCli.UsageException("--expect-head: " + e.getMessage());
        }
        if (checkpoints != null && !java.nio.file.Files.isReadable(checkpoints)) {
            throw new IOException("checkpoint file " + checkpoints + " does not exist or is not readable");
        }
        if (tsaCert != null && checkpoints == null) {
            throw new MailtrailCli.UsageException("--tsa-cert needs --checkpoints FILE");
        }
        List<Checkpoint> kept = checkpoints == null ? List.of() : new CheckpointFile(checkpoints).readAll();
        List<Finding> timestampFindings = checkpoints == null ? List.of()
                : new TimestampChecker(tsaCert == null ? null : TimestampChecker.readCertificate(tsaCert))
                        .check(kept, TimestampFile.besides(checkpoints).readAll());
        VerifyOptions options = new VerifyOptions(kept, expected, maxLate, minRetention);
        Verifier verifier = new Verifier(keys, lag, Clock.systemUTC(), options);
        out.println("mailtrail verify: keys " + keys.stream().map(IntegrityKeys.VerifyingKey::keyId).toList()
                + ", rows younger than " + lag + " need no digest yet (times are UTC)");
        int workers = workers(this.workers);
        String url = jdbcUrl;
        VerifyReport report;
        try (Connection connection = MailtrailCli.connect(url, err)) {
            report = verifier.verify(connection, () -> MailtrailCli.connect(url), workers, this);
        }
        timestampFindings.forEach(this::onChainFinding);
        long chainProblems = report.chainProblems() + timestampFindings.size();
        boolean intact = report.intact() && timestampFindings.isEmpty();
        out.println("head: " + (report.head() == null ? "(empty chain)" : report.head().line()));
        out.printf(Locale.ROOT, "%s: %,d rows in %,d windows, %,d digests, %.1f s, %,.0f rows/s%n",
                intact ? "INTACT" : "PROBLEMS FOUND in " + report.failedWindows() + " window(s)"
                        + (chainProblems > 0 ? " and " + chainProblems + " chain check(s)" : ""),
                report.rowsChecked(), report.windows(), report.digests(),
                report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
        return intact ? MailtrailCli.OK : MailtrailCli.PROBLEMS_FOUND;
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
    public void onChainFinding(Finding finding) {
        out.println("chain: " + finding);
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
