package io.mailtrail.cli;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How a failed command reads: {@code mailtrail: <what is wrong, by name>}, then the command's usage
 * for a bad command line; exit code 2 either way. The messages keep the wording the CLI had before
 * picocli ("unknown option '--x'", "option --x needs a value"), which docs and scripts quote.
 */
final class UsageErrors {

    private UsageErrors() {
    }

    static int onBadUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("mailtrail: " + describe(e));
        command.usage(command.getErr());
        return MailtrailCli.ERROR;
    }

    static int onFailure(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof MailtrailCli.UsageException) {
            command.getErr().println("mailtrail: " + command.getCommandName() + ": " + e.getMessage());
            command.usage(command.getErr());
            return MailtrailCli.ERROR;
        }
        if (e instanceof SQLException) {
            command.getErr().println("mailtrail: database error: " + e.getMessage());
            return MailtrailCli.ERROR;
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException) {
            command.getErr().println("mailtrail: " + e.getMessage());
            return MailtrailCli.ERROR;
        }
        throw e;
    }

    private static String describe(ParameterException e) {
        boolean topLevel = e.getCommandLine().getParent() == null;
        String command = topLevel ? "" : e.getCommandLine().getCommandName() + ": ";
        // picocli checks required options before it reports words it did not understand; a
        // misspelt option explains the missing one, so it is named first.
        List<String> unmatched = e instanceof CommandLine.UnmatchedArgumentException u
                ? u.getUnmatched() : e.getCommandLine().getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            String first = unmatched.get(0);
            if (topLevel && !first.startsWith("-")) {
                return "unknown command '" + first + "' (" + commands(e.getCommandLine()) + ")";
            }
            return command + "unknown option '" + first + "'";
        }
        if (e instanceof CommandLine.MissingParameterException missing) {
            String names = missing.getMissing().stream()
                    .map(arg -> arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel())
                    .collect(Collectors.joining(", "));
            if (e.getMessage().startsWith("Missing required parameter for option")) {
                return command + "option " + names + " needs a value";
            }
            if (e.getMessage().startsWith("Missing required option")) {
                return command + (missing.getMissing().size() == 1 ? "option " + names + " is required"
                        : "options " + names + " are required");
            }
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException bad && e.getArgSpec() instanceof OptionSpec option) {
            return option.longestName() + ": " + bad.getMessage();
        }
        return command + e.getMessage();
    }

    static String commands(CommandLine top) {
        return top.getSubcommands().keySet().stream().filter(name -> !name.equals("help")).collect(Collectors.joining(", "));
    }
}
