package io.mailtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.mailtrail.timestamp.TestTimestampAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged cli/target/mailtrail.jar, run with java -jar as a DBA or cron would. */
@MailtrailDatabase
class MailtrailJarIT {

    private static final Path JAR = Path.of(System.getProperty("mailtrail.cli.jar", "target/mailtrail.jar"));

    @TempDir
    Path keys;

    private final TestDatabase db;

    MailtrailJarIT(TestDatabase db) {
        this.db = db;
    }

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void aDayOfRowsAndAKeyPair() throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive, email_activity_digest,"
                + " email_activity_digest_entries, email_activity_retention; UPDATE email_activity_seal_state SET late_scan_from_id = -1,"
                + " late_scan_next_id = -1");
        LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0).minusHours(30);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " created_at, created_by) SELECT g, 'read', 'user', 'row ' || g, jsonb_build_object('g', g),"
                + " ? + g * interval '37 seconds', 'system' FROM generate_series(0, 2399) g", start);
        assertThat(jar("keygen", "--out", keys.toString()).exitCode()).isZero();
    }

    @Test
    void sealThenVerifyIsIntactAndATamperedRowIsNamedWithExitCodeOne() throws Exception {
        Run seal = jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey());
        Run intact = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey());

        assertThat(seal.exitCode()).as(seal.err()).isZero();
        assertThat(seal.out()).contains("sealed ").contains(" windows");
        assertThat(intact.exitCode()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.out()).contains("INTACT: ").contains("rows/s").contains("  OK  ")
                .doesNotContain("TAMPERED");

        long victim = db.count("SELECT min(id) FROM email_activity_log");
        db.execute("UPDATE email_activity_log SET description = 'nothing to see' WHERE id = ?", victim);
        Run tampered = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey());

        assertThat(tampered.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(tampered.out()).contains("TAMPERED").contains("MODIFIED_ROW row " + victim)
                .contains("PROBLEMS FOUND in 1 window(s)");
    }

    @Test
    void aSealerWithAMinimumRetentionRefusesToSignPurgeZeroWithExitCodeFive() throws Exception {
        assertThat(jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey()).exitCode()).isZero();
        db.execute("CALL purge_email_activity(0)");

        Run refused = jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey(), "--min-retention", "30d");
        Run verify = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--min-retention", "30d");

        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(MailtrailCli.RETENTION_REFUSED);
        assertThat(refused.err()).contains("refused to sign retention record").contains("purge_email_activity");
        assertThat(refused.out()).contains("and 0 retention runs");
        assertThat(verify.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(verify.out()).contains("chain: RETENTION_TOO_SHORT");
    }

    @Test
    void checkpointsAndAPinnedHeadExposeARewrittenChainThatTheSealerRefusesToSign() throws Exception {
        String checkpoints = keys.resolve("checkpoints.txt").toString();
        Run seal = jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey(), "--checkpoints", checkpoints);
        assertThat(seal.exitCode()).as(seal.err()).isZero();
        assertThat(Files.readString(Path.of(checkpoints))).startsWith("mailtrail-checkpoint 1 ");
        Run intact = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--checkpoints",
                checkpoints, "--max-late", "24h");
        assertThat(intact.exitCode()).as(intact.out() + intact.err()).isZero();
        String head = intact.out().lines().filter(line -> line.startsWith("head: ")).findFirst().orElseThrow()
                .substring("head: ".length());
        assertThat(head).startsWith("mailtrail-head 1 ");
        assertThat(jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--expect-head", head)
                .exitCode()).isZero();

        // The owner removes the newest window with its digest, and a sealer without the file re-signs.
        long last = db.count("SELECT max(seq) FROM email_activity_digest");
        db.execute("DELETE FROM email_activity_log WHERE created_at >= (SELECT window_start FROM"
                + " email_activity_digest WHERE seq = " + last + ")");
        db.execute("DELETE FROM email_activity_digest_entries WHERE digest_seq = " + last
                + "; DELETE FROM email_activity_digest WHERE seq = " + last);
        Run refused = jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey(), "--checkpoints",
                checkpoints);
        assertThat(refused.exitCode()).isEqualTo(MailtrailCli.CHAIN_REWRITTEN);
        assertThat(refused.err()).contains("no longer holds checkpoint " + last).contains("sealing nothing");
        assertThat(jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey()).exitCode()).isZero();

        Run withFile = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--checkpoints",
                checkpoints);
        Run pinned = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--expect-head", head);
        assertThat(withFile.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(withFile.out()).contains("chain: CHECKPOINT_NOT_IN_CHAIN");
        assertThat(pinned.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(pinned.out()).contains("chain: HEAD_NOT_IN_CHAIN");
    }

    @Test
    void thePackagedJarTimeStampsCheckpointsAndVerifiesThemOffline() throws Exception {
        String checkpoints = keys.resolve("checkpoints.txt").toString();
        Path pinned;
        try (TestTimestampAuthority tsa = new TestTimestampAuthority("Mailtrail jar TSA")) {
            pinned = tsa.writeCertificate(keys.resolve("tsa.pem"));
            Run seal = jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey(), "--checkpoints",
                    checkpoints, "--tsa-url", tsa.url().toString());
            assertThat(seal.exitCode()).as(seal.out() + seal.err()).isZero();
            assertThat(seal.out()).contains("time-stamped 1 checkpoints by " + tsa.url());
        }
        Run verify = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--checkpoints",
                checkpoints, "--tsa-cert", pinned.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

        // The token moved to a seq the file does not hold: it anchors nothing, and checkpoint 1 has no anchor.
        Path stamps = Path.of(checkpoints + ".tsr");
        String line = Files.readString(stamps).strip();
        Files.writeString(stamps,
                line.replaceFirst("^mailtrail-timestamp 1 \\d+ ", "mailtrail-timestamp 1 999 ") + "\n");
        Run mismatched = jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey(), "--checkpoints",
                checkpoints, "--tsa-cert", pinned.toString());
        assertThat(mismatched.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(mismatched.out()).contains("chain: TIMESTAMP_MISMATCH: time stamp line 1 names checkpoint 999")
                .contains("chain: MISSING_TIMESTAMP");
    }

    @Test
    void thePrivateKeyMayComeFromTheEnvironmentAndIsNeverPrinted() throws Exception {
        String pem = Files.readString(Path.of(privateKey()));
        Run seal = jar(List.of("MAILTRAIL_SIGNING_KEY", pem), "seal", "--jdbc-url", db.jdbcUrl(),
                "--private-key-env", "MAILTRAIL_SIGNING_KEY");

        assertThat(seal.exitCode()).as(seal.err()).isZero();
        String base64 = pem.lines().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
        assertThat(seal.out() + seal.err()).doesNotContain(base64);
        assertThat(jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey()).exitCode()).isZero();
    }

    @Test
    void twoSealProcessesAtOnceProduceOneChain() throws Exception {
        List<Process> sealers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sealers.add(start(List.of(), "seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey()));
        }
        for (Process sealer : sealers) {
            assertThat(sealer.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(sealer.exitValue()).isZero();
        }
        // One of them may have skipped part of the work: a second run completes it.
        assertThat(jar("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", privateKey()).exitCode()).isZero();

        assertThat(db.count("SELECT count(*) FROM email_activity_digest"))
                .isEqualTo(db.count("SELECT count(DISTINCT window_start) FROM email_activity_digest"))
                .isEqualTo(db.count("SELECT max(seq) FROM email_activity_digest"))
                .isGreaterThanOrEqualTo(24);
        assertThat(jar("verify", "--jdbc-url", db.jdbcUrl(), "--public-key", publicKey()).exitCode()).isZero();
    }

    private String privateKey() {
        return keys.resolve("mailtrail-signing.key").toString();
    }

    private String publicKey() {
        return keys.resolve("mailtrail-signing.pub").toString();
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        return jar(List.of(), args);
    }

    private Run jar(List<String> environment, String... args) throws IOException, InterruptedException {
        Path err = Files.createTempFile(keys, "err", ".txt");
        Process process = start(environment, err, args);
        byte[] stdout = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(stdout, StandardCharsets.UTF_8), Files.readString(err));
    }

    private Process start(List<String> environment, String... args) throws IOException {
        return start(environment, Files.createTempFile(keys, "err", ".txt"), args);
    }

    /** stderr (progress lines) goes to a file, so a full pipe can never stall the child. */
    private Process start(List<String> environment, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        for (int i = 0; i < environment.size(); i += 2) {
            builder.environment().put(environment.get(i), environment.get(i + 1));
        }
        return builder.start();
    }
}
