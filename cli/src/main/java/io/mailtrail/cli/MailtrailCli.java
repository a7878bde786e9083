package io.mailtrail.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar mailtrail.jar keygen|seal|verify|ingest ...}: the integrity tools for a DBA and
 * for cron (docs/integrity.md) and the Kafka ingester (docs/fleet.md), one picocli subcommand class each. Exit codes: 0 success (verify:
 * everything verified), 1 verify found a problem, 2 bad usage or an error (no connection,
 * unreadable key); seal's 3, 4 and 5 are in the usage below.
 */
@Command(name = "java -jar mailtrail.jar", mixinStandardHelpOptions = true,
        versionProvider = MailtrailCli.Version.class, synopsisHeading = "usage: ",
        subcommands = {KeygenCommand.class, SealCommand.class, VerifyCommand.class, IngestCommand.class,
                CommandLine.HelpCommand.class},
        footer = "Keep the password off the command line: PGPASSWORD, ~/.pgpass or PGPASSFILE (docs/integrity.md).%n"
                + "Exit codes: 0 success, 1 verify found a problem, 2 bad usage or an error,%n"
                + "3 seal found the chain rewritten (its last checkpoint is gone) and sealed nothing,%n"
                + "4 seal sealed and wrote its checkpoint, but the timestamp authority gave no time stamp,%n"
                + "5 seal sealed, but refused to sign a retention run shorter than --min-retention.")
public final class MailtrailCli implements Runnable {

    static final int OK = 0;
    static final int PROBLEMS_FOUND = 1;
    static final int ERROR = 2;
    /** seal: the database's chain no longer holds the last checkpoint; nothing was sealed. */
    static final int CHAIN_REWRITTEN = 3;
    /** seal --tsa-url: sealed and checkpointed, but a checkpoint lacks its time stamp (the next seal retries). */
    static final int TIMESTAMP_MISSING = 4;
    /** seal: a retention run was refused (its cutoff younger than --min-retention); the rest was sealed. */
    static final int RETENTION_REFUSED = 5;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new MailtrailCli());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler(UsageErrors::onBadUsage);
        commandLine.setExecutionExceptionHandler(UsageErrors::onFailure);
        return commandLine.execute(args);
    }

    /** No command given: the usage on stderr and exit code 2, as before picocli. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required ("
                + UsageErrors.commands(spec.commandLine()) + ")");
    }

    /** As {@link #connect(String)}, warning on {@code err} when the URL carries a password. */
    static Connection connect(String jdbcUrl, PrintWriter err) throws SQLException {
        if (jdbcUrl.contains("password=")) {
            err.println("mailtrail: warning: a password in --jdbc-url is visible in process listings;"
                    + " use PGPASSWORD, ~/.pgpass or PGPASSFILE instead");
        }
        return connect(jdbcUrl);
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new UsageException("--jdbc-url must start with jdbc:postgresql:, got '"
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

    /** The jar manifest's Implementation-Version (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MailtrailCli.class.getPackage().getImplementationVersion();
            return new String[] {"mailtrail " + (version == null ? "(development build)" : version)
                    + ", Java " + System.getProperty("java.version")};
        }
    }

    /** A bad command line found after parsing (a check across options, a malformed URL): exit code 2 with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
