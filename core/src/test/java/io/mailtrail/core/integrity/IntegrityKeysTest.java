package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class IntegrityKeysTest {

    @Test
    void aWrittenKeyPairReadsBackWithOneKeyIdAndSignsWhatItsPublicKeyVerifies(@TempDir Path dir) throws IOException {
        String keyId = IntegrityKeys.writeKeyPair(dir);

        IntegrityKeys.SigningKey privateKey = IntegrityKeys.readPrivateKey(dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE));
        IntegrityKeys.VerifyingKey publicKey = IntegrityKeys.readPublicKey(dir.resolve(IntegrityKeys.PUBLIC_KEY_FILE));

        assertThat(privateKey.keyId()).isEqualTo(keyId).isEqualTo(publicKey.keyId()).hasSize(16);
        assertThat(Files.getPosixFilePermissions(dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        LocalDateTime t = LocalDateTime.of(2026, 1, 1, 0, 0);
        Digest digest = Digest.sign(1, RowHasher.CURRENT_VERSION, Digest.Kind.WINDOW, t, t.plusHours(1), 0, new byte[32], Digest.GENESIS,
                privateKey, t);
        assertThat(digest.signatureValidWith(publicKey.publicKey())).isTrue();
        assertThat(digest.hashMatchesContent()).isTrue();
        assertThat(privateKey.toString()).doesNotContain("PRIVATE").contains(keyId);
    }

    @Test
    void anExistingKeyIsNeverOverwritten(@TempDir Path dir) throws IOException {
        IntegrityKeys.writeKeyPair(dir);

        assertThatThrownBy(() -> IntegrityKeys.writeKeyPair(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void aBrokenKeyIsRefusedWithoutQuotingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> IntegrityKeys.readPrivateKey(file))
                .hasMessageContaining(file.toString()).hasMessageNotContaining("U0VDUkVU");
        assertThatThrownBy(() -> IntegrityKeys.readPrivateKey(dir.resolve("missing.key")))
                .hasMessageContaining("missing.key");
        assertThatThrownBy(() -> IntegrityKeys.privateKeyFromEnvironment("MAILTRAIL_TEST_NO_SUCH_VARIABLE"))
                .hasMessageContaining("MAILTRAIL_TEST_NO_SUCH_VARIABLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw-----w-", "rwx---r--"})
    void aPrivateKeyFileOthersMayReachIsRefusedNamingItsMode(String mode, @TempDir Path dir) throws IOException {
        IntegrityKeys.writeKeyPair(dir);
        Path file = dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> IntegrityKeys.readPrivateKey(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(IntegrityKeys.octal(PosixFilePermissions.fromString(mode)))
                .hasMessageContaining("group or others");
        assertThat(IntegrityKeys.octal(PosixFilePermissions.fromString("rw-r--r--"))).isEqualTo("0644");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(IntegrityKeys.readPrivateKey(file).keyId()).hasSize(16);
    }

    @Test
    void keygenCreatesThePrivateKeyOwnerOnlyWhateverTheUmaskWouldAllow(@TempDir Path dir) throws IOException {
        // The directory is open to all, as /tmp is; the file must still be 600 from its creation.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        IntegrityKeys.writeKeyPair(dir);

        assertThat(Files.getPosixFilePermissions(dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
