package com.aiphoto.opsctl;

import com.aiphoto.core.config.Redactor;
import com.aiphoto.opsctl.backup.BackupCommand;
import com.aiphoto.opsctl.cert.CertCommand;
import com.aiphoto.opsctl.cli.CompletionCommand;
import com.aiphoto.opsctl.cli.ErrorHandler;
import com.aiphoto.opsctl.cli.Logging;
import com.aiphoto.opsctl.cli.RootCommand;
import com.aiphoto.opsctl.config.ConfigCommand;
import com.aiphoto.opsctl.db.DbCommand;
import com.aiphoto.opsctl.health.HealthCommand;
import com.aiphoto.opsctl.logs.LogsCommand;
import com.aiphoto.opsctl.secrets.SecretsCommand;
import com.aiphoto.opsctl.upgrade.UpgradeCommand;
import com.aiphoto.opsctl.user.UserCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Root command: the command tree, and the {@link #run(PrintWriter, PrintWriter, String...)} entry that tests
 * call instead of {@link #main}. Global options and settings loading live in {@link RootCommand}.
 */
@Command(
        name = "opsctl",
        versionProvider = Opsctl.Version.class,
        sortOptions = false,
        description = "Operate an ai-photo installation.",
        subcommands = {
            ConfigCommand.class,
            SecretsCommand.class,
            DbCommand.class,
            BackupCommand.class,
            CertCommand.class,
            UserCommand.class,
            HealthCommand.class,
            UpgradeCommand.class,
            LogsCommand.class,
            CompletionCommand.class,
            CdsTrainCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed",
            "2:usage error",
            "3:precondition not met (lock held, nothing configured, confirmation missing)",
            "4:internal error",
            "0-3:check commands (config check, db status, health, cert status, backup status): 0 OK, 1 WARNING,"
                    + " 2 CRITICAL, 3 UNKNOWN"
        })
public final class Opsctl extends RootCommand {
    /** Where the configuration is looked for when neither --env-file nor AI_PHOTO_ENV_FILE names a file. */
    static final List<Path> DEFAULT_ENV_FILES = List.of(Path.of(".env"), Path.of("/etc/ai-photo/ai-photo.env"));

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            description = "Print the version and exit.")
    boolean versionRequested;

    public Opsctl() {
        this(System.getenv(), DEFAULT_ENV_FILES);
    }

    /** For tests: an environment and fallback env files that do not depend on the machine. */
    public Opsctl(Map<String, String> environment, List<Path> fallbackEnvFiles) {
        super(environment, fallbackEnvFiles);
    }

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(System.out, true, System.out.charset());
        PrintWriter err = new PrintWriter(System.err, true, System.err.charset());
        System.exit(new Opsctl().run(out, err, args));
    }

    /** Parses and runs one command line; returns the exit code. An instance runs once. */
    public int run(PrintWriter out, PrintWriter err, String... args) {
        ErrorHandler errors = new ErrorHandler(
                () -> globals.verbose,
                () -> globals.json,
                text -> loadedSettings() == null
                        ? text
                        : Redactor.of(loadedSettings()).redact(text));
        CommandLine cl = new CommandLine(this)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors)
                .setExecutionStrategy(this::execute);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int execute(ParseResult parseResult) {
        if (globals.verbose && globals.quiet) {
            throw new ParameterException(
                    parseResult.commandSpec().commandLine(), "--verbose and --quiet cannot be combined");
        }
        if (globals.verbose) {
            Logging.verbose();
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** Jar manifest version; "dev" when run from classes (IDE, tests). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Opsctl.class.getPackage().getImplementationVersion();
            return new String[] {"opsctl " + (v == null || v.isBlank() ? "dev" : v)};
        }
    }
}
