package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML {@code integrity:} section of the agent's configuration. */
class IntegrityConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSection() throws Exception {
        AgentConfig config = load("""
                integrity:
                  privateKeyFile: /etc/mailtrail/mailtrail-signing.key
                  window: 2h
                  delay: 15m
                  interval: 30s
                  keyId: 0123456789abcdef
                  checkpoints: /var/lib/mailtrail/checkpoints.txt
                  minRetention: 30d
                  tsaUrl: https://tsa.example.com/rfc3161
                """);

        assertThat(config.problems()).isEmpty();
        assertThat(config.integrity.privateKeyFile()).isEqualTo(Path.of("/etc/mailtrail/mailtrail-signing.key"));
        assertThat(config.integrity.window()).isEqualTo(Duration.ofHours(2));
        assertThat(config.integrity.delay()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.integrity.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.integrity.expectedKeyId()).isEqualTo("0123456789abcdef");
        assertThat(config.integrity.checkpoints()).isEqualTo(Path.of("/var/lib/mailtrail/checkpoints.txt"));
        assertThat(config.integrity.minRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.integrity.tsaUrl()).isEqualTo(URI.create("https://tsa.example.com/rfc3161"));
    }

    @Test
    void durationsFollowTheOneGrammarOfEverySetting() throws Exception {
        // A bare number has no unit; everywhere else (SettingValues.duration) it is refused, so here too.
        AgentConfig bare = load("integrity: {privateKeyEnv: K, delay: 5}\n");
        AgentConfig iso = load("integrity: {privateKeyEnv: K, window: PT2H, minRetention: P30D}\n");

        assertThat(bare.integrity).isNull();
        assertThat(bare.problems()).singleElement().asString().contains("integrity.delay").contains("'5'")
                .contains("with a unit");
        assertThat(iso.problems()).isEmpty();
        assertThat(iso.integrity.window()).isEqualTo(Duration.ofHours(2));
        assertThat(iso.integrity.minRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aTimestampAuthorityNeedsACheckpointFileAndAnHttpUrl() throws Exception {
        AgentConfig noCheckpoints = load("integrity: {privateKeyEnv: K, tsaUrl: 'http://127.0.0.1:1/tsa'}\n");
        AgentConfig notHttp = load("integrity: {privateKeyEnv: K, checkpoints: /c.txt, tsaUrl: 'ftp://tsa.example.com/'}\n");
        AgentConfig notAUrl = load("integrity: {privateKeyEnv: K, checkpoints: /c.txt, tsaUrl: 'http://a b/'}\n");
        AgentConfig absent = load("integrity: {privateKeyEnv: K, checkpoints: /c.txt}\n");

        assertThat(noCheckpoints.integrity).isNull();
        assertThat(noCheckpoints.problems()).singleElement().asString()
                .contains("integrity.tsa-url needs integrity.checkpoints").endsWith("sealing is off");
        assertThat(notHttp.integrity).isNull();
        assertThat(notHttp.problems()).singleElement().asString()
                .contains("must be an http:// or https:// URL, got 'ftp://tsa.example.com/'");
        assertThat(notAUrl.integrity).isNull();
        assertThat(notAUrl.problems()).singleElement().asString().contains("integrity.tsaUrl is not a URL");
        assertThat(absent.problems()).isEmpty();
        assertThat(absent.integrity.tsaUrl()).isNull();
    }

    @Test
    void absentMeansNoSealingAndDefaultsFillTheRest() throws Exception {
        assertThat(load("annotations: true\n").integrity).isNull();
        AgentConfig config = load("integrity: {privateKeyEnv: MAILTRAIL_SIGNING_KEY}\n");
        assertThat(config.problems()).isEmpty();
        assertThat(config.integrity.window()).isEqualTo(Duration.ofHours(1));
        assertThat(config.integrity.privateKeyEnv()).isEqualTo("MAILTRAIL_SIGNING_KEY");
    }

    @Test
    void mistakesAreNamedAndLeaveSealingOff() throws Exception {
        AgentConfig noKey = load("integrity: {window: 1h}\n");
        AgentConfig badDuration = load("integrity: {privateKeyEnv: K, delay: soon}\n");
        AgentConfig unknown = load("integrity: {privateKeyEnv: K, secret: x}\n");

        assertThat(noKey.integrity).isNull();
        assertThat(noKey.problems()).singleElement().asString().contains("integrity.private-key-file")
                .endsWith("sealing is off");
        assertThat(badDuration.integrity).isNull();
        assertThat(badDuration.problems()).singleElement().asString().contains("integrity.delay").contains("'soon'");
        assertThat(unknown.integrity).isNotNull();
        assertThat(unknown.problems()).singleElement().asString().contains("unknown integrity setting 'secret'");
    }

    private AgentConfig load(String yaml) throws Exception {
        Path file = dir.resolve("agent-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return AgentConfig.load(file);
    }
}
