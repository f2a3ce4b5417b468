package com.aiphoto.opsctl;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.db.MigrationException;
import com.aiphoto.core.db.MigrationRefusedException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place that turns exceptions into exit codes and stderr text. Messages stay on one line where
 * possible so scripts and cron mails stay readable; exception messages of unknown failures are not
 * printed (they might carry a connection string or a secret) unless -v asks for the stack trace.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final BooleanSupplier verbose;

    ErrorHandler(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String message = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions().stream()
                    .map(s -> "'" + s + "'").toList()) + "?)";
        }
        cl.getErr().println("opsctl: " + message + "; see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        int code = switch (ex) {
            case OpsctlException e -> {
                err.println("opsctl: " + oneLine(e.getMessage()));
                yield e.exitCode();
            }
            case ConfigException e -> {
                printProblems(err, e.problems());
                yield ExitCode.PRECONDITION;
            }
            case MigrationRefusedException e -> {
                err.println("opsctl: " + oneLine(e.getMessage()));
                yield ExitCode.PRECONDITION;
            }
            case MigrationException e -> {
                err.println("opsctl: " + oneLine(e.getMessage()));
                yield ExitCode.FAILED;
            }
            default -> {
                err.println("opsctl: internal error (" + ex.getClass().getName() + ")"
                        + (verbose.getAsBoolean() ? "" : "; run with -v for details"));
                yield ExitCode.INTERNAL;
            }
        };
        if (verbose.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        return code;
    }

    private static void printProblems(PrintWriter err, List<String> problems) {
        if (problems.size() == 1) {
            err.println("opsctl: configuration: " + oneLine(problems.getFirst()));
            return;
        }
        err.println("opsctl: " + problems.size() + " configuration problems:");
        problems.forEach(p -> err.println("  " + oneLine(p)));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
