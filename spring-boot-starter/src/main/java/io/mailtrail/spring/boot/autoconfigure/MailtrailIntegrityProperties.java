package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.integrity.IntegritySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mailtrail.integrity.*}: signed, chained digests of the log (docs/integrity.md). Sealing
 * runs when a private key is configured, by file or environment variable; the key itself is never
 * a property and never logged.
 */
@ConfigurationProperties("mailtrail.integrity")
public class MailtrailIntegrityProperties {

    /** Length of a sealed window. Default 1h. */
    private Duration window = IntegritySettings.DEFAULT_WINDOW;

    /** How long after its end a window is sealed, so replayed spool events land first. Default 10m. */
    private Duration delay = IntegritySettings.DEFAULT_DELAY;

    /** How often this instance looks for due windows (other instances skip while one seals). Default 1m. */
    private Duration interval = IntegritySettings.DEFAULT_INTERVAL;

    /** PKCS#8 PEM file of the Ed25519 private key ({@code mailtrail.jar keygen}). Default: none. */
    private Path privateKeyFile;

    /** Name of an environment variable holding the private key PEM instead of a file. Default: none. */
    private String privateKeyEnv;

    /** When set, sealing stays off unless the private key has this id (guards a rotation). Default: none. */
    private String keyId;

    /**
     * File of signed checkpoints of the chain's head, appended after each seal; sealing stops
     * while the database's chain does not hold its last checkpoint. Keep it off the database host.
     * Default: none.
     */
    private Path checkpoints;

    /**
     * When set, the sealer refuses to sign a retention run whose cutoff is younger than this (a
     * purge of everything passed off as retention): health DOWN, counter
     * {@code mailtrail.integrity.retention.refused}. Give {@code verify --min-retention} the same.
     * Default: none.
     */
    private Duration minRetention;

    /**
     * RFC 3161 timestamp authority (http or https URL) that time-stamps every checkpoint after the
     * seal that wrote it, into the checkpoint file's name + .tsr. Needs checkpoints
     * and io.mailtrail:mailtrail-timestamp on the class path. Default: none.
     */
    private URI tsaUrl;

    IntegritySettings toSettings() {
        return new IntegritySettings(window, delay, interval, privateKeyFile,
                privateKeyEnv == null || privateKeyEnv.isBlank() ? null : privateKeyEnv, keyId, checkpoints,
                minRetention, tsaUrl);
    }

    public Duration getMinRetention() {
        return minRetention;
    }

    public void setMinRetention(Duration minRetention) {
        this.minRetention = minRetention;
    }

    public URI getTsaUrl() {
        return tsaUrl;
    }

    public void setTsaUrl(URI tsaUrl) {
        this.tsaUrl = tsaUrl;
    }

    public Path getCheckpoints() {
        return checkpoints;
    }

    public void setCheckpoints(Path checkpoints) {
        this.checkpoints = checkpoints;
    }

    public Duration getWindow() {
        return window;
    }

    public void setWindow(Duration window) {
        this.window = window;
    }

    public Duration getDelay() {
        return delay;
    }

    public void setDelay(Duration delay) {
        this.delay = delay;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Path getPrivateKeyFile() {
        return privateKeyFile;
    }

    public void setPrivateKeyFile(Path privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public String getPrivateKeyEnv() {
        return privateKeyEnv;
    }

    public void setPrivateKeyEnv(String privateKeyEnv) {
        this.privateKeyEnv = privateKeyEnv;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }
}
