package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The core side of time-stamping checkpoints: settings that cannot work are refused by name, and
 * without mailtrail-timestamp on the class path (as in this module's tests) the sealer does not
 * start rather than seal without the anchor it was asked for. The stamping itself is tested with a
 * real authority where the module is: mailtrail-timestamp, the starter, the agent and the CLI.
 */
class CheckpointStamperTest {

    private static final URI TSA = URI.create("http://127.0.0.1:1/tsa");

    @TempDir
    Path dir;

    @Test
    void withoutTheModuleTheStamperIsNotFoundAndItsArtifactIsNamed() {
        assertThat(CheckpointStamper.available(getClass().getClassLoader())).isFalse();
        assertThatThrownBy(() -> CheckpointStamper.load(TSA, dir.resolve("c.txt"), getClass().getClassLoader()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.mailtrail:mailtrail-timestamp is not on the class path");
    }

    @Test
    void aSealerAskedForTimeStampsDoesNotStartWithoutTheModule() throws Exception {
        IntegrityKeys.writeKeyPair(dir);
        IntegritySettings settings = new IntegritySettings(null, null, null, dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE),
                null, null, dir.resolve("checkpoints.txt"), null, TSA);

        try (SealScheduler scheduler = new SealScheduler(settings, new PGSimpleDataSource())) {
            assertThat(scheduler.start()).isFalse();
            assertThat(scheduler.checkpointsStamped()).isZero();
        }
    }

    @Test
    void anAuthorityNeedsACheckpointFileAndAnHttpUrl() {
        Path key = dir.resolve("k");
        assertThatThrownBy(() -> new IntegritySettings(null, null, null, key, null, null, null, null, TSA))
                .hasMessageContaining("integrity.tsa-url needs integrity.checkpoints");
        assertThatThrownBy(() -> new IntegritySettings(null, null, null, key, null, null, dir.resolve("c.txt"), null,
                URI.create("ftp://tsa.example.com/"))).hasMessageContaining("integrity.tsa-url must be an http:// or"
                        + " https:// URL, got 'ftp://tsa.example.com/'");
        assertThat(new IntegritySettings(null, null, null, key, null, null, dir.resolve("c.txt")).tsaUrl()).isNull();
    }
}
