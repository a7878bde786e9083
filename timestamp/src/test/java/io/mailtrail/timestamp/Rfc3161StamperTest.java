package io.mailtrail.timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.integrity.Checkpoint;
import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.CheckpointStamper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamper the scheduled sealer finds through {@link CheckpointStamper}, against a real RFC 3161
 * authority served on 127.0.0.1 by the test. The checkpoints' own signatures are the core's
 * concern (CheckpointAttacksTest); a time stamp covers their signed bytes whatever those are.
 */
class Rfc3161StamperTest {

    @TempDir
    Path dir;

    private TestTimestampAuthority tsa;
    private Path checkpoints;

    @BeforeEach
    void authorityAndTwoCheckpoints() throws Exception {
        tsa = new TestTimestampAuthority("Stamper test TSA");
        checkpoints = dir.resolve("checkpoints.txt");
        Files.write(checkpoints, List.of(checkpoint(1).line(), checkpoint(2).line()));
    }

    @AfterEach
    void stopAuthority() {
        tsa.close();
    }

    @Test
    void theCoreFindsTheStamperAndItStampsEachCheckpointOnce() throws Exception {
        assertThat(CheckpointStamper.available(getClass().getClassLoader())).isTrue();
        CheckpointStamper stamper = CheckpointStamper.load(tsa.url(), checkpoints, getClass().getClassLoader());

        CheckpointStamper.Stamping first = stamper.stampNew();
        CheckpointStamper.Stamping again = stamper.stampNew();

        assertThat(first).isEqualTo(CheckpointStamper.Stamping.complete(2));
        assertThat(again).isEqualTo(CheckpointStamper.Stamping.complete(0));
        assertThat(stamper.stampFile()).isEqualTo(dir.resolve("checkpoints.txt.tsr"));
        assertThat(tsa.granted()).isEqualTo(2);
        assertThat(check(tsa)).isEmpty();
    }

    @Test
    void anAuthorityOutOfServiceLeavesTheCheckpointUnstampedAndTheNextPassStampsIt() throws Exception {
        CheckpointStamper stamper = new Rfc3161Stamper(tsa.url(), checkpoints);
        tsa.outOfService(true);

        CheckpointStamper.Stamping failed = stamper.stampNew();

        assertThat(failed.failed()).isTrue();
        assertThat(failed.stamped()).isZero();
        assertThat(failed.unstampedSeq()).isEqualTo(1);
        assertThat(failed.failure()).contains(tsa.url().toString()).contains("HTTP 503");
        assertThat(Files.exists(stamper.stampFile())).isFalse();
        assertThat(check(tsa)).extracting(f -> f.kind().name()).containsExactly("MISSING_TIMESTAMP", "MISSING_TIMESTAMP");

        tsa.outOfService(false);
        assertThat(stamper.stampNew()).isEqualTo(CheckpointStamper.Stamping.complete(2));
        assertThat(check(tsa)).isEmpty();
    }

    @Test
    void onlyAnHttpAuthorityIsAsked() {
        assertThatThrownBy(() -> new Rfc3161Stamper(URI.create("ftp://tsa.example.com/"), checkpoints))
                .hasMessageContaining("must be an http:// or https:// URL, got 'ftp://tsa.example.com/'");
    }

    private List<io.mailtrail.core.integrity.Finding> check(TestTimestampAuthority authority) throws Exception {
        TimestampChecker checker = new TimestampChecker(TimestampChecker.readCertificate(
                authority.writeCertificate(dir.resolve("tsa-" + System.nanoTime() + ".pem"))));
        return checker.check(new CheckpointFile(checkpoints).readAll(), TimestampFile.besides(checkpoints).readAll());
    }

    private static Checkpoint checkpoint(long seq) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
        byte[] hash = new byte[32];
        hash[0] = (byte) seq;
        return new Checkpoint(1, seq, hash, now.minusHours(1), now, "0123456789abcdef", new byte[64]);
    }
}
