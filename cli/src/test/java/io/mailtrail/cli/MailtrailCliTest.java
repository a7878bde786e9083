package io.mailtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's parsing and messages, in-process; MailtrailJarIT runs the real jar. */
class MailtrailCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MailtrailCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandPrintsUsageAndFails() {
        assertThat(run()).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("usage: java -jar mailtrail.jar");
    }

    @Test
    void anUnknownCommandOrOptionIsNamed() {
        assertThat(run("validate")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("unknown command 'validate'");
        assertThat(run("verify", "--jdbc-url", "jdbc:postgresql://x/y", "--public", "k")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("unknown option '--public'");
    }

    @Test
    void aMissingOrMalformedValueIsNamed(@TempDir Path dir) throws Exception {
        assertThat(run("seal", "--jdbc-url")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("option --jdbc-url needs a value");
        assertThat(run("keygen", "--out", dir.toString())).isZero();
        Path key = dir.resolve("mailtrail-signing.key");
        assertThat(run("seal", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x", "--private-key", key.toString(),
                "--window", "an hour")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--window: 'an hour' is not a duration");
        assertThat(run("seal", "--jdbc-url", "mysql://x", "--private-key", key.toString())).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--jdbc-url must start with jdbc:postgresql:");
        assertThat(run("seal", "--jdbc-url", "jdbc:postgresql://x/y")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("exactly one of --private-key FILE and --private-key-env VAR");
        assertThat(run("verify", "--jdbc-url", "jdbc:postgresql://x/y", "--public-key", dir.resolve("nope.pub").toString()))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("nope.pub does not exist");
    }

    @Test
    void badIntegrityOptionsAreNamedBeforeAnyConnection(@TempDir Path dir) throws Exception {
        assertThat(run("keygen", "--out", dir.toString())).isZero();
        String pub = dir.resolve("mailtrail-signing.pub").toString();
        String url = "jdbc:postgresql://127.0.0.1:1/x";

        assertThat(run("verify", "--jdbc-url", url, "--public-key", pub, "--checkpoints", dir.resolve("none.txt")
                .toString())).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("checkpoint file").contains("none.txt");
        assertThat(run("verify", "--jdbc-url", url, "--public-key", pub, "--expect-head", "head 12"))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--expect-head: not a head line");
        assertThat(run("verify", "--jdbc-url", url, "--public-key", pub, "--max-late", "a day"))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("'a day' is not a duration");

        Path key = dir.resolve("mailtrail-signing.key");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("seal", "--jdbc-url", url, "--private-key", key.toString())).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("has mode 0644").contains("group or others");
    }

    @Test
    void timestampOptionsNeedACheckpointFileAndAnHttpUrl(@TempDir Path dir) throws Exception {
        assertThat(run("keygen", "--out", dir.toString())).isZero();
        String key = dir.resolve("mailtrail-signing.key").toString();
        String url = "jdbc:postgresql://127.0.0.1:1/x";
        String checkpoints = dir.resolve("checkpoints.txt").toString();

        assertThat(run("seal", "--jdbc-url", url, "--private-key", key, "--tsa-url", "http://127.0.0.1:1/tsa"))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--tsa-url needs --checkpoints FILE");
        assertThat(run("seal", "--jdbc-url", url, "--private-key", key, "--checkpoints", checkpoints, "--tsa-url",
                "ftp://tsa.example.com/")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--tsa-url must be an http:// or https:// URL, got 'ftp://tsa.example.com/'");
        assertThat(run("verify", "--jdbc-url", url, "--public-key", dir.resolve("mailtrail-signing.pub").toString(),
                "--tsa-cert", key)).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--tsa-cert needs --checkpoints FILE");
        Files.writeString(Path.of(checkpoints), "");
        assertThat(run("verify", "--jdbc-url", url, "--public-key", dir.resolve("mailtrail-signing.pub").toString(),
                "--checkpoints", checkpoints, "--tsa-cert", key)).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("is not an X.509 certificate");
    }

    @Test
    void keygenWritesAKeyPairAndRefusesToOverwriteIt(@TempDir Path dir) {
        assertThat(run("keygen", "--out", dir.toString())).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(printed).contains("key id ").contains("mailtrail-signing.key").contains("mailtrail-signing.pub");
        assertThat(Files.exists(dir.resolve("mailtrail-signing.key"))).isTrue();
        assertThat(printed).doesNotContain("BEGIN");
        assertThat(run("keygen", "--out", dir.toString())).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("already exists");
    }

    @Test
    void everyCommandHasHelpAndTheVersion() {
        for (String command : new String[] {"keygen", "seal", "verify", "ingest"}) {
            out.reset();
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: java -jar mailtrail.jar " + command)
                    .contains("--help");
        }
        out.reset();
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("mailtrail ");
        out.reset();
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("keygen").contains("seal").contains("verify");
    }

    @Test
    void aRequiredOptionThatIsMissingIsNamed() {
        assertThat(run("verify", "--jdbc-url", "jdbc:postgresql://x/y")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("verify: option --public-key is required");
        assertThat(run("seal", "--private-key", "k")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("seal: option --jdbc-url is required");
    }

    @Test
    void ingestNamesWhatIsMissingOrMalformed() {
        assertThat(run("ingest", "--bootstrap-servers", "127.0.0.1:9092", "--jdbc-url", "jdbc:postgresql://x/y"))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("ingest: option --topic is required");
        assertThat(run("ingest", "--bootstrap-servers", "127.0.0.1:9092", "--topic", "t", "--jdbc-url", "mysql://x"))
                .isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("ingest: --jdbc-url must start with jdbc:postgresql:");
        assertThat(run("ingest", "--bootstrap-servers", "h:1", "--topic", "t", "--jdbc-url", "jdbc:postgresql://x/y",
                "--progress", "often")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("--progress: 'often' is not a duration");
        assertThat(run("ingest", "--bootstrap-servers", "h:1", "--topic", "t", "--jdbc-url", "jdbc:postgresql://x/y",
                "--writers", "0")).isEqualTo(MailtrailCli.ERROR);
        assertThat(err()).contains("ingest: --writers must be between 1 and 64");
    }
}
