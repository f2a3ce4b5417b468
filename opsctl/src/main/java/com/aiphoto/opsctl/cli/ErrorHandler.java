package com.aiphoto.opsctl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.db.MigrationException;
import com.aiphoto.core.db.MigrationRefusedException;

import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * The one place that turns exceptions into exit codes and stderr text. Messages stay on one line where
 * possible so scripts and cron mails stay readable; exception messages of unknown failures are not
 * printed (they might carry a connection string or a secret) unless -v asks for the stack trace.
 */
public final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final BooleanSupplier verbose;
    private final UnaryOperator<String> redact;

    public ErrorHandler(BooleanSupplier verbose) {
        this(verbose, UnaryOperator.identity());
    }

    /** {@code redact} masks secret setting values: the net under messages that quote a driver or a tool. */
    public ErrorHandler(BooleanSupplier verbose, UnaryOperator<String> redact) {
        this.verbose = verbose;
        this.redact = redact;
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
        // USAGE (2) by default; check commands declare UNKNOWN (3), as monitoring plugins exit on bad arguments
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = new PrintWriter(new RedactingWriter(cl.getErr(), redact), true);
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
        err.flush();
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

    /** Collects what is printed and passes it on redacted, a line at a time (a secret never spans lines). */
    private static final class RedactingWriter extends Writer {
        private final PrintWriter target;
        private final UnaryOperator<String> redact;
        private final StringWriter line = new StringWriter();

        RedactingWriter(PrintWriter target, UnaryOperator<String> redact) {
            this.target = target;
            this.redact = redact;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                line.write(buf[i]);
                if (buf[i] == '\n') {
                    flushLine();
                }
            }
        }

        private void flushLine() {
            target.print(redact.apply(line.toString()));
            line.getBuffer().setLength(0);
        }

        @Override
        public void flush() {
            flushLine();
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
