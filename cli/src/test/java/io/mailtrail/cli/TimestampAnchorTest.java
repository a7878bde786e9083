package io.mailtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.mailtrail.timestamp.TestTimestampAuthority;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * seal --tsa-url and verify's offline check of the RFC 3161 time stamps, against a real
 * PostgreSQL and a real timestamp authority served on 127.0.0.1 by the test.
 */
@MailtrailDatabase
class TimestampAnchorTest {

    @TempDir
    Path dir;

    private final TestDatabase db;
    private TestTimestampAuthority tsa;
    private TestTimestampAuthority otherTsa;
    private Path checkpoints;
    private Path stamps;

    TimestampAnchorTest(TestDatabase db) {
        this.db = db;
    }

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void rowsKeysAndTwoAuthorities() throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_digest, email_activity_digest_entries,"
                + " email_activity_retention; UPDATE email_activity_seal_state SET late_scan_from_id = -1,"
                + " late_scan_next_id = -1");
        LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0).minusHours(6);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " created_at, created_by) SELECT g, 'read', 'user', 'row ' || g, jsonb_build_object('g', g),"
                + " ? + g * interval '60 seconds', 'system' FROM generate_series(0, 299) g", start);
        assertThat(run("keygen", "--out", dir.toString()).exitCode()).isZero();
        tsa = new TestTimestampAuthority("Mailtrail test TSA");
        otherTsa = new TestTimestampAuthority("Some other TSA");
        checkpoints = dir.resolve("checkpoints.txt");
        stamps = dir.resolve("checkpoints.txt.tsr");
    }

    @AfterEach
    void stopAuthorities() {
        tsa.close();
        otherTsa.close();
    }

    @Test
    void everyCheckpointIsTimeStampedAndVerifiesOfflineAgainstThePinnedAuthority() throws Exception {
        Path pinned = tsa.writeCertificate(dir.resolve("tsa.pem"));
        sealTwiceWith(tsa);

        List<String> tokens = Files.readAllLines(stamps);
        assertThat(tokens).hasSize(Files.readAllLines(checkpoints).size()).hasSize(2)
                .allMatch(line -> line.startsWith("mailtrail-timestamp 1 "));
        tsa.close();
        Run verify = verify("--tsa-cert", pinned.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("INTACT").doesNotContain("TIMESTAMP");
    }

    @Test
    void aTokenThatDoesNotMatchItsCheckpointIsNamed() throws Exception {
        sealTwiceWith(tsa);
        List<String> lines = Files.readAllLines(stamps);
        String first = lines.get(0);
        String second = lines.get(1);
        // Swap the tokens but keep each line's seq: each token now covers the other checkpoint.
        Files.write(stamps, List.of(first.substring(0, first.lastIndexOf(' ')) + second.substring(second.lastIndexOf(' ')),
                second.substring(0, second.lastIndexOf(' ')) + first.substring(first.lastIndexOf(' '))));

        Run verify = verify();

        assertThat(verify.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(verify.out()).contains("chain: TIMESTAMP_MISMATCH: time stamp line 1")
                .contains("chain: TIMESTAMP_MISMATCH: time stamp line 2")
                .contains("message imprint is not the SHA-256").contains("PROBLEMS FOUND");
    }

    @Test
    void aTokenFromAnotherAuthorityFailsAgainstThePinnedCertificateAndAMissingOneIsNamed() throws Exception {
        Path pinned = tsa.writeCertificate(dir.resolve("tsa.pem"));
        sealWith(otherTsa);

        Run unpinned = verify();
        Run pinnedRun = verify("--tsa-cert", pinned.toString());

        assertThat(unpinned.exitCode()).as(unpinned.out()).isZero();
        assertThat(pinnedRun.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(pinnedRun.out()).contains("chain: BAD_TIMESTAMP: time stamp line 1")
                .contains("does not verify with the pinned TSA certificate CN=Mailtrail test TSA")
                .contains("chain: MISSING_TIMESTAMP: checkpoint ");

        Files.delete(stamps);
        Run none = verify("--tsa-cert", pinned.toString());
        assertThat(none.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(none.out()).contains("chain: MISSING_TIMESTAMP: checkpoint ");
    }

    @Test
    void aCorruptTokenIsABadTimestamp() throws Exception {
        sealWith(tsa);
        String line = Files.readAllLines(stamps).get(0);
        String[] fields = line.split(" ");
        byte[] token = java.util.Base64.getDecoder().decode(fields[3]);
        token[token.length - 10] ^= 0x01; // inside the signature
        Files.writeString(stamps, fields[0] + ' ' + fields[1] + ' ' + fields[2] + ' '
                + java.util.Base64.getEncoder().encodeToString(token) + '\n');

        Run verify = verify();

        assertThat(verify.exitCode()).isEqualTo(MailtrailCli.PROBLEMS_FOUND);
        assertThat(verify.out()).contains("chain: BAD_TIMESTAMP: time stamp line 1");
    }

    @Test
    void anAuthorityThatCannotBeReachedLeavesTheSealAndSaysTheAnchorIsMissing() throws Exception {
        String url = tsa.url().toString();
        tsa.close();

        Run seal = run("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", dir.resolve("mailtrail-signing.key")
                .toString(), "--checkpoints", checkpoints.toString(), "--tsa-url", url);

        assertThat(seal.exitCode()).isEqualTo(MailtrailCli.TIMESTAMP_MISSING);
        assertThat(seal.err()).contains("has no time anchor").contains("could not be reached")
                .contains("the next seal with --tsa-url retries");
        assertThat(Files.readAllLines(checkpoints)).hasSize(1);
        assertThat(Files.exists(stamps)).isFalse();
        assertThat(verify().exitCode()).isZero();

        sealWith(otherTsa);
        assertThat(Files.readAllLines(stamps)).hasSize(1);
        assertThat(run("seal", "--jdbc-url", db.jdbcUrl(), "--private-key", "k", "--tsa-url", url).err())
                .contains("--tsa-url needs --checkpoints FILE");
    }

    /** Seals the windows that ended more than 3 hours ago, then (a later run) the rest: two checkpoints. */
    private void sealTwiceWith(TestTimestampAuthority authority) throws Exception {
        sealWith(authority, "--delay", "3h");
        sealWith(authority);
    }

    private void sealWith(TestTimestampAuthority authority, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("seal", "--jdbc-url", db.jdbcUrl(), "--private-key",
                dir.resolve("mailtrail-signing.key").toString(), "--checkpoints", checkpoints.toString(), "--tsa-url",
                authority.url().toString()));
        args.addAll(List.of(extra));
        Run seal = run(args.toArray(String[]::new));
        assertThat(seal.exitCode()).as(seal.out() + seal.err()).isZero();
        assertThat(seal.out()).contains("time-stamped ");
    }

    private Run verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "--jdbc-url", db.jdbcUrl(), "--public-key",
                dir.resolve("mailtrail-signing.pub").toString(), "--checkpoints", checkpoints.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MailtrailCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
