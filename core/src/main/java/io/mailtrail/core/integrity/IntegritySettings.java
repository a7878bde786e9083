package io.mailtrail.core.integrity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Who seals, and how: the settings of {@link SealScheduler}, bound by the starter
 * ({@code mailtrail.integrity.*}) and the agent (YAML {@code integrity:}).
 *
 * @param window length of a sealed window; default {@link #DEFAULT_WINDOW}
 * @param delay how long after a window's end it is sealed, so spooled events replayed after an
 *     outage land first; default {@link #DEFAULT_DELAY}
 * @param interval how often the scheduler looks for due windows; default {@link #DEFAULT_INTERVAL}
 * @param privateKeyFile PKCS#8 PEM file of the Ed25519 private key, or null
 * @param privateKeyEnv name of an environment variable holding that PEM, or null; exactly one
 *     of the two must be set
 * @param expectedKeyId when not null, sealing refuses to start with a key of another id (a guard
 *     against a wrong key file after a rotation)
 * @param checkpoints when not null, the file of signed checkpoints of the chain's head the sealer
 *     keeps outside the database ({@link CheckpointFile}); it seals nothing while the database's
 *     chain does not hold the file's last checkpoint
 * @param minRetention when not null, the sealer refuses to sign a retention run whose cutoff is
 *     younger than this ({@link Sealer#withMinRetention}); give verify the same bound
 * @param tsaUrl when not null, an RFC 3161 timestamp authority (http or https) that time-stamps
 *     every checkpoint after the seal that wrote it ({@link CheckpointStamper}, module
 *     {@code mailtrail-timestamp}); needs {@code checkpoints}
 */
public record IntegritySettings(Duration window, Duration delay, Duration interval, Path privateKeyFile,
        String privateKeyEnv, String expectedKeyId, Path checkpoints, Duration minRetention, URI tsaUrl) {

    /** Settings without a timestamp authority. */
    public IntegritySettings(Duration window, Duration delay, Duration interval, Path privateKeyFile,
            String privateKeyEnv, String expectedKeyId, Path checkpoints, Duration minRetention) {
        this(window, delay, interval, privateKeyFile, privateKeyEnv, expectedKeyId, checkpoints, minRetention, null);
    }

    /** Settings without a retention bound. */
    public IntegritySettings(Duration window, Duration delay, Duration interval, Path privateKeyFile,
            String privateKeyEnv, String expectedKeyId, Path checkpoints) {
        this(window, delay, interval, privateKeyFile, privateKeyEnv, expectedKeyId, checkpoints, null, null);
    }

    /** Settings without a checkpoint file. */
    public IntegritySettings(Duration window, Duration delay, Duration interval, Path privateKeyFile,
            String privateKeyEnv, String expectedKeyId) {
        this(window, delay, interval, privateKeyFile, privateKeyEnv, expectedKeyId, null, null, null);
    }

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_DELAY = Duration.ofMinutes(10);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    public IntegritySettings {
        window = window == null ? DEFAULT_WINDOW : window;
        delay = delay == null ? DEFAULT_DELAY : delay;
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("integrity.window must be at least 1s, got " + window);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("integrity.delay must not be negative, got " + delay);
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("integrity.interval must be at least 100ms, got " + interval);
        }
        if (minRetention != null && minRetention.isNegative()) {
            throw new IllegalArgumentException("integrity.min-retention must not be negative, got " + minRetention);
        }
        if ((privateKeyFile == null) == (privateKeyEnv == null || privateKeyEnv.isBlank())) {
            throw new IllegalArgumentException(
                    "set exactly one of integrity.private-key-file and integrity.private-key-env");
        }
        if (tsaUrl != null && checkpoints == null) {
            throw new IllegalArgumentException("integrity.tsa-url needs integrity.checkpoints: the time stamps are"
                    + " of the checkpoints, kept beside their file");
        }
        if (tsaUrl != null && (!tsaUrl.isAbsolute() || !tsaUrl.getScheme().matches("(?i)https?"))) {
            throw new IllegalArgumentException("integrity.tsa-url must be an http:// or https:// URL, got '" + tsaUrl + "'");
        }
    }

    /** Loads the key; the message of a failure names the file or variable, never the key. */
    IntegrityKeys.SigningKey loadKey() throws java.io.IOException {
        IntegrityKeys.SigningKey key = privateKeyFile != null
                ? IntegrityKeys.readPrivateKey(privateKeyFile)
                : IntegrityKeys.privateKeyFromEnvironment(privateKeyEnv);
        if (expectedKeyId != null && !expectedKeyId.isBlank() && !expectedKeyId.equals(key.keyId())) {
            throw new IllegalArgumentException("integrity.key-id is " + expectedKeyId + " but the private key in "
                    + (privateKeyFile != null ? privateKeyFile : "$" + privateKeyEnv) + " has id " + key.keyId());
        }
        return key;
    }
}
