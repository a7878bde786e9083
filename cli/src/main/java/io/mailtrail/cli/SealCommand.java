package io.mailtrail.cli;

import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Sealer;
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

    @Override
    public Integer call() throws Exception {
        if ((privateKey == null) == (privateKeyEnv == null)) {
            throw new MailtrailCli.UsageException("give exactly one of --private-key FILE and --private-key-env VAR");
        }
        IntegrityKeys.SigningKey key = privateKey != null
                ? IntegrityKeys.readPrivateKey(privateKey)
                : IntegrityKeys.privateKeyFromEnvironment(privateKeyEnv);
        Sealer sealer = new Sealer(key, window, delay, Clock.systemUTC());
        var out = spec.commandLine().getOut();
        try (Connection connection = MailtrailCli.connect(jdbcUrl)) {
            Sealer.SealResult result = sealer.seal(connection);
            if (result.skipped()) {
                out.println("another sealer holds the seal lock; sealed " + result.windowsSealed()
                        + " windows before it, it will seal the rest");
            }
            out.println("sealed " + result.windowsSealed() + " windows and " + result.lateDigests()
                    + " late digests (" + result.rowsSealed() + " rows, " + result.lateRows()
                    + " of them late) with key " + key.keyId());
        }
        return MailtrailCli.OK;
    }
}
