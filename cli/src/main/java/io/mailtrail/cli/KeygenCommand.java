package io.mailtrail.cli;

import io.mailtrail.core.integrity.IntegrityKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keygen}: a new Ed25519 key pair for seal (private) and verify (public). */
@Command(name = "keygen", mixinStandardHelpOptions = true, versionProvider = MailtrailCli.Version.class,
        synopsisHeading = "usage: ",
        description = "Writes a new Ed25519 key pair: DIR/mailtrail-signing.key (private, keep it off the"
                + " database host) and DIR/mailtrail-signing.pub (public, for verify).")
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory for the key pair")
    Path directory;

    @Override
    public Integer call() throws Exception {
        String keyId = IntegrityKeys.writeKeyPair(directory);
        var out = spec.commandLine().getOut();
        out.println("key id " + keyId);
        out.println("private key: " + directory.resolve(IntegrityKeys.PRIVATE_KEY_FILE)
                + "  (for seal / mailtrail.integrity.private-key-file; keep it secret)");
        out.println("public key:  " + directory.resolve(IntegrityKeys.PUBLIC_KEY_FILE) + "  (for verify)");
        return MailtrailCli.OK;
    }
}
