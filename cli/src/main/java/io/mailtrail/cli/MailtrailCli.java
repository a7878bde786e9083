package io.mailtrail.cli;

import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.Sealer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * {@code java -jar mailtrail.jar keygen|seal|verify ...}: the integrity tools for a DBA and for
 * cron (docs/integrity.md). Exit codes: 0 success (verify: everything verified), 1 verify found
 * a problem, 2 bad usage or an error (no connection, unreadable key).
 */
public final class MailtrailCli {

    static final int OK = 0;
    static final int PROBLEMS_FOUND = 1;
    static final int ERROR = 2;

    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final Duration DEFAULT_DELAY = Duration.ofMinutes(10);

    private static final String USAGE = """
            usage: java -jar mailtrail.jar <command> [options]
              keygen --out DIR
                  writes a new Ed25519 key pair: DIR/mailtrail-signing.key (private, keep it off the
                  database host) and DIR/mailtrail-signing.pub (public, for verify)
              seal   --jdbc-url URL (--private-key FILE | --private-key-env VAR)
                     [--window 1h] [--delay 10m]
                  seals every window that is due, then rows that arrived late
              verify --jdbc-url URL --public-key FILE [--public-key OLD_FILE ...]
                     [--max-seal-lag 2h] [--only-problems true] [--workers 2]
                  checks every row against the signed digests; exit code 0 only when all verify
            The password may be in the URL or in the environment variable PGPASSWORD.
            """;

    private MailtrailCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? ERROR : OK;
        }
        try {
            return switch (args[0]) {
                case "keygen" -> keygen(new Arguments("keygen", args, 1, Set.of("out")), out);
                case "seal" -> seal(new Arguments("seal", args, 1,
                        Set.of("jdbc-url", "private-key", "private-key-env", "window", "delay")), out);
                case "verify" -> new VerifyCommand(new Arguments("verify", args, 1,
                        Set.of("jdbc-url", "public-key", "max-seal-lag", "only-problems", "workers")), out, err).run();
                default -> throw new Arguments.UsageException("unknown command '" + args[0]
                        + "' (keygen, seal or verify)");
            };
        } catch (Arguments.UsageException e) {
            err.println("mailtrail: " + e.getMessage());
            err.print(USAGE);
            return ERROR;
        } catch (IOException | IllegalArgumentException e) {
            err.println("mailtrail: " + e.getMessage());
            return ERROR;
        } catch (SQLException e) {
            err.println("mailtrail: database error: " + e.getMessage());
            return ERROR;
        }
    }

    private static int keygen(Arguments arguments, PrintStream out) throws IOException {
        Path directory = Path.of(arguments.required("out"));
        String keyId = IntegrityKeys.writeKeyPair(directory);
        out.println("key id " + keyId);
        out.println("private key: " + directory.resolve(IntegrityKeys.PRIVATE_KEY_FILE)
                + "  (for seal / mailtrail.integrity.private-key-file; keep it secret)");
        out.println("public key:  " + directory.resolve(IntegrityKeys.PUBLIC_KEY_FILE) + "  (for verify)");
        return OK;
    }

    private static int seal(Arguments arguments, PrintStream out) throws IOException, SQLException {
        IntegrityKeys.SigningKey key;
        if (arguments.has("private-key") == arguments.has("private-key-env")) {
            throw new Arguments.UsageException("seal: give exactly one of --private-key FILE and --private-key-env VAR");
        }
        key = arguments.has("private-key")
                ? IntegrityKeys.readPrivateKey(Path.of(arguments.required("private-key")))
                : IntegrityKeys.privateKeyFromEnvironment(arguments.required("private-key-env"));
        Sealer sealer = new Sealer(key, arguments.duration("window", DEFAULT_WINDOW),
                arguments.duration("delay", DEFAULT_DELAY), Clock.systemUTC());
        try (Connection connection = connect(arguments.required("jdbc-url"))) {
            Sealer.SealResult result = sealer.seal(connection);
            if (result.skipped()) {
                out.println("another sealer holds the seal lock; sealed " + result.windowsSealed()
                        + " windows before it, it will seal the rest");
            }
            out.println("sealed " + result.windowsSealed() + " windows and " + result.lateDigests()
                    + " late digests (" + result.rowsSealed() + " rows, " + result.lateRows()
                    + " of them late) with key " + key.keyId());
        }
        return OK;
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new Arguments.UsageException("--jdbc-url must start with jdbc:postgresql:, got '"
                    + jdbcUrl.replaceAll("password=[^&]*", "password=***") + "'");
        }
        Properties properties = new Properties();
        String password = System.getenv("PGPASSWORD");
        if (password != null && !jdbcUrl.contains("password=")) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "mailtrail-cli");
        return DriverManager.getConnection(jdbcUrl, properties);
    }
}
