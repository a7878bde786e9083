package io.mailtrail.cli;

import io.mailtrail.core.integrity.ChainRewrittenException;
import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.CheckpointStamper;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Sealer;
import io.mailtrail.timestamp.Rfc3161Stamper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seal}: seals every window that is due, then rows that arrived late. */
@Command(name = "seal", mixinStandardHelpOptions = true, versionProvider = MailtrailCli.Version.class,
        synopsisHeading = "usage: ",
        description = "Seals every window that is due, then rows that arrived late.")
final class SealCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", paramLabel = "URL", required = true, description = "the database (jdbc:postgresql:...)")
    String jdbcUrl;

    @Option(names = "--private-key", paramLabel = "FILE", description = "the PEM private key file from keygen")
    Path privateKey;

    @Option(names = "--private-key-env", paramLabel = "VAR", description = "an environment variable holding the PEM private key")
    String privateKeyEnv;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "the sealed window's length (default: ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long after its end a window is sealed (default: ${DEFAULT-VALUE})")
    Duration delay;

    @Option(names = "--checkpoints", paramLabel = "FILE",
            description = "append a signed checkpoint of the chain's head here after sealing, and seal nothing"
                    + " when the database's chain no longer holds the last one (keep it off the database host)")
    Path checkpoints;

    @Option(names = "--min-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "refuse to sign a retention run whose cutoff is younger than this (a purge(0)); exit 5."
                    + " Pass verify the same bound")
    Duration minRetention;

    @Option(names = "--tsa-url", paramLabel = "URL",
            description = "an RFC 3161 timestamp authority: every checkpoint gets a time stamp from it, kept in the"
                    + " checkpoint file's name + .tsr (needs --checkpoints)")
    URI tsaUrl;

    private boolean refusedRetention;

    @Override
    public Integer call() throws Exception {
        if ((privateKey == null) == (privateKeyEnv == null)) {
            throw new MailtrailCli.UsageException("give exactly one of --private-key FILE and --private-key-env VAR");
        }
        if (tsaUrl != null && (checkpoints == null || !tsaUrl.isAbsolute() || !tsaUrl.getScheme().startsWith("http"))) {
            throw new MailtrailCli.UsageException(checkpoints == null ? "--tsa-url needs --checkpoints FILE"
                    : "--tsa-url must be an http:// or https:// URL, got '" + tsaUrl + "'");
        }
        IntegrityKeys.SigningKey key = privateKey != null
                ? IntegrityKeys.readPrivateKey(privateKey)
                : IntegrityKeys.privateKeyFromEnvironment(privateKeyEnv);
        Sealer sealer = new Sealer(key, window, delay, Clock.systemUTC())
                .withCheckpoints(checkpoints == null ? null : new CheckpointFile(checkpoints))
                .withMinRetention(minRetention);
        var out = spec.commandLine().getOut();
        try (Connection connection = MailtrailCli.connect(jdbcUrl, spec.commandLine().getErr())) {
            Sealer.SealResult result;
            try {
                result = sealer.seal(connection);
            } catch (ChainRewrittenException e) {
                spec.commandLine().getErr().println("mailtrail: seal: " + e.getMessage());
                return MailtrailCli.CHAIN_REWRITTEN;
            }
            if (result.skipped()) {
                out.println("another sealer holds the seal lock; sealed " + result.windowsSealed()
                        + " windows before it, it will seal the rest");
            }
            out.println("sealed " + result.windowsSealed() + " windows, " + result.lateDigests()
                    + " late digests (" + result.rowsSealed() + " rows, " + result.lateRows()
                    + " of them late) and " + result.retentionSigned() + " retention runs with key " + key.keyId());
            for (String refused : result.retentionRefused()) {
                spec.commandLine().getErr().println("mailtrail: seal: refused to sign " + refused);
            }
            refusedRetention = !result.retentionRefused().isEmpty();
        }
        int stamped = tsaUrl == null ? MailtrailCli.OK : stampCheckpoints(out);
        return stamped == MailtrailCli.OK && refusedRetention ? MailtrailCli.RETENTION_REFUSED : stamped;
    }

    /**
     * Gives every checkpoint that has no time stamp yet one from the TSA, after the seal: the chain
     * and its checkpoints never wait for, or depend on, a third party. A TSA that fails leaves those
     * checkpoints without an anchor, says so and exits non-zero; the next seal retries them.
     */
    private int stampCheckpoints(PrintWriter out) throws IOException, InterruptedException {
        Rfc3161Stamper stamper = new Rfc3161Stamper(tsaUrl, checkpoints);
        CheckpointStamper.Stamping stamping = stamper.stampNew();
        if (stamping.failed()) {
            spec.commandLine().getErr().println("mailtrail: seal: the chain is sealed and checkpoint "
                    + stamping.unstampedSeq() + " written, but it has no time anchor: " + stamping.failure()
                    + "; the next seal with --tsa-url retries");
            return MailtrailCli.TIMESTAMP_MISSING;
        }
        out.println("time-stamped " + stamping.stamped() + " checkpoints by " + stamper + " in " + stamper.stampFile());
        return MailtrailCli.OK;
    }
}
