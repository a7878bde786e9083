package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.env;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whatever is wrong with the configuration, the host starts, runs and ends normally; the report says what. */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BadConfigIT {

    private final TestDatabase db;

    @TempDir
    Path dir;

    BadConfigIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @Test
    void unknownClassBadExpressionAndMalformedRulesAreReportedAndSkipped() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(), """
                  - name: ghost
                    class: com.acme.DoesNotExist
                    method: run
                    type: fetched
                    emailId: "#p0"
                  - name: typo
                    class: io.mailtrail.legacy.LegacyMailProcessor
                    method: fetch
                    type: fetched_twice
                    emailId: "#emial"
                  - name: syntax
                    class: io.mailtrail.legacy.LegacyMailProcessor
                    method: classify
                    type: classified_twice
                    emailId: "#emailId"
                    description: "Classified #{#result"
                  - name: malformed
                    method: fetch
                    type: fetched
                    category: spam
                """));

        ChildJvm.Result child = runHub(Map.of(), config);

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains(
                "CONFIG rule 'malformed' is skipped: give exactly one of 'class'",
                "unknown category 'spam'",
                "'emailId' (an expression such as \"#emailId\" or \"#p0\") is required",
                "rule 'ghost' matched nothing: class com.acme.DoesNotExist is not loaded and not on the class path",
                "INVALID rule 'typo'(type = \"fetched_twice\") on io.mailtrail.legacy.LegacyMailProcessor.fetch(int, String)"
                        + " is skipped: emailId \"#emial\": unknown variable #emial",
                "INVALID rule 'syntax'(type = \"classified_twice\")", "'#{' is never closed");
        // The good rules and the annotations still work; the invalid ones log nothing.
        assertThat(db.rows("SELECT event_type FROM email_activity_log WHERE email_id = 101 ORDER BY id"))
                .extracting(r -> r.get("event_type")).containsExactly("fetched", "classified", "invoice_extracted",
                        "status_changed", "workflow_executed", "linked", "error");
    }

    @Test
    void unreadableConfigFileStillLetsTheHostRunWithAnnotationsOnly() throws Exception {
        ChildJvm.Result child = runHub(env("MAILTRAIL_JDBC_URL", db.jdbcUrl()), dir.resolve("missing.yaml"));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("CONFIG cannot read the configuration file " + dir.resolve("missing.yaml")
                + ": NoSuchFileException");
        assertThat(db.rows("SELECT event_type FROM email_activity_log WHERE email_id = 101 ORDER BY id"))
                .extracting(r -> r.get("event_type")).containsExactly("workflow_executed", "linked", "error");
    }

    @Test
    void invalidYamlIsReported() throws Exception {
        Path config = ChildJvm.write(dir, "broken.yaml", "rules: [ {name: x\n  database: : :\n");

        ChildJvm.Result child = runHub(env("MAILTRAIL_JDBC_URL", db.jdbcUrl()), config);

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("CONFIG the configuration file " + config + " is not valid YAML");
    }

    @Test
    void wrongDatabasePasswordIsReportedNeverPrintedAndTheHostRuns() throws Exception {
        String password = "s3cret-Pa55word";
        try (FakeAuthFailingServer server = new FakeAuthFailingServer()) {
            Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", "database:\n  user: mailtrail\n"
                    + "  password: " + password + "\nshutdownTimeout: 1s\n" + Configs.RULES);

            ChildJvm.Result child = runHub(env("MAILTRAIL_JDBC_URL", server.url()), config);

            assertThat(child.exitCode()).as(child.all()).isZero();
            assertThat(child.stdout()).contains("DONE");
            assertThat(child.stderr()).contains("database url " + server.url()
                            + " (from environment variable MAILTRAIL_JDBC_URL), user mailtrail, password set",
                    "database NOT reachable", "password authentication failed for user \"mailtrail\"",
                    "deadline of 1000 ms reached");
            assertThat(child.all()).doesNotContain(password);
            assertThat(server.passwordsReceived.get()).isPositive();
        }
    }

    @Test
    void noDatabaseAtAllLeavesTheHostUninstrumented() throws Exception {
        ChildJvm.Result child = runHub(Map.of(), ChildJvm.write(dir, "rules-only.yaml", Configs.RULES));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("no usable database URL (none given;");
    }

    @Test
    void databaseNoneCapturesAndCountsButWritesNothing() throws Exception {
        ChildJvm.Result child = runHub(Map.of(), ChildJvm.write(dir, "dry-run.yaml", Configs.withDatabase("none", "")));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("database none: events are captured and counted, then discarded")
                // issue #10: nothing was written, and the line says so
                .containsPattern("shutdown: database none, all events discarded after counting; captured ([1-9][0-9]*),"
                        + " discarded \\1,")
                .doesNotContain("all events written")
                .doesNotContain("no usable database URL");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isZero();
    }

    private static ChildJvm.Result runHub(Map<String, String> env, Path config) {
        return ChildJvm.run(env, java("-javaagent:" + AGENT_JAR + "=config=" + config, "-cp", hostClassPath(),
                "io.mailtrail.legacy.LegacyHub"));
    }
}
