package com.aiphoto.opsctl.cli;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.db.MigrationException;
import com.aiphoto.core.db.MigrationRefusedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
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
public final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final BooleanSupplier verbose;
    private final BooleanSupplier json;
    private final UnaryOperator<String> redact;

    public ErrorHandler(BooleanSupplier verbose) {
        this(verbose, () -> false, UnaryOperator.identity());
    }

    public ErrorHandler(BooleanSupplier verbose, UnaryOperator<String> redact) {
        this(verbose, () -> false, redact);
    }

    /**
     * {@code json}: --json was given, so a failure is also one JSON document on stdout (scripts parse stdout);
     * {@code redact} masks secret setting values: the net under messages that quote a driver or a tool.
     */
    public ErrorHandler(BooleanSupplier verbose, BooleanSupplier json, UnaryOperator<String> redact) {
        this.verbose = verbose;
        this.json = json;
        this.redact = redact;
    }

    /** --json of a failed command: the one-line message on stderr, and its exit code. */
    record Failure(String error, int exitCode) {}

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String message = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean "
                    + String.join(
                            " or ",
                            u.getSuggestions().stream().map(s -> "'" + s + "'").toList()) + "?)";
        }
        cl.getErr()
                .println("opsctl: " + message + "; see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        // USAGE (2) by default; check commands declare UNKNOWN (3), as monitoring plugins exit on bad arguments
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = new PrintWriter(new RedactingWriter(cl.getErr(), redact), true);
        String message = switch (ex) {
            case ConfigException e ->
                e.problems().size() == 1
                        ? "configuration: " + oneLine(e.problems().getFirst())
                        : String.join(
                                "; ",
                                e.problems().stream().map(ErrorHandler::oneLine).toList());
            case OpsctlException e -> oneLine(e.getMessage());
            case MigrationException e -> oneLine(e.getMessage());
            default -> "internal error (" + ex.getClass().getName() + ")";
        };
        int code = switch (ex) {
            case OpsctlException e -> e.exitCode();
            case ConfigException e -> ExitCode.PRECONDITION;
            case MigrationRefusedException e -> ExitCode.PRECONDITION;
            case MigrationException e -> ExitCode.FAILED;
            default -> ExitCode.INTERNAL;
        };
        if (ex instanceof ConfigException e) {
            printProblems(err, e.problems());
        } else {
            err.println("opsctl: " + message
                    + (code == ExitCode.INTERNAL && !verbose.getAsBoolean() ? "; run with -v for details" : ""));
        }
        if (json.getAsBoolean()) {
            Object doc =
                    ex instanceof OpsctlException o && o.document() != null ? o.document() : new Failure(message, code);
            PrintWriter out = cl.getOut();
            out.println(redact.apply(Json.write(doc)));
            out.flush();
        }
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
