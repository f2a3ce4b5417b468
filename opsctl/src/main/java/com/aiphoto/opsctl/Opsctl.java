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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Root command: the command tree, and the {@link #run(PrintWriter, PrintWriter, String...)} entry that tests
 * call instead of {@link #main}. Global options and settings loading live in {@link RootCommand}.
 *
 * <p>The subcommands are registered here ({@link #COMMANDS}), not in the annotation, so that a run builds only
 * the part of the tree its command line needs ({@link #commandLine(String...)}): picocli builds the model of
 * every command it is given (annotations, reflection over every field; its classes are Java 5 class files, which
 * the class-data archive cannot hold), and for the whole tree that was most of {@code opsctl --help}'s time.
 */
@Command(
        name = "opsctl",
        versionProvider = Opsctl.Version.class,
        sortOptions = false,
        description = "Operate an ai-photo installation.",
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

    /** The root's commands, in the order --help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
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
            CdsTrainCommand.class);

    /** Commands that need the whole tree even when named: completion's script walks every command. */
    private static final Set<Class<?>> NEED_THE_TREE = Set.of(CompletionCommand.class);

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
        return run(commandLine(args), out, err, args);
    }

    /** For tests: runs on the whole tree, as every run did before the tree was built lazily. */
    int runOnTheWholeTree(PrintWriter out, PrintWriter err, String... args) {
        return run(commandLine(), out, err, args);
    }

    private int run(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        ErrorHandler errors = new ErrorHandler(
                () -> globals.verbose,
                () -> globals.json,
                text -> loadedSettings() == null
                        ? text
                        : Redactor.of(loadedSettings()).redact(text));
        cl.setOut(out)
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

    /**
     * The whole command tree: what completion, the man pages and anything walking the commands need. Call once
     * per instance (picocli binds the options to this object's fields).
     */
    public CommandLine commandLine() {
        return wholeTree(new CommandLine(this));
    }

    private static CommandLine wholeTree(CommandLine cl) {
        for (Class<?> c : COMMANDS) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /**
     * The tree this command line needs, which prints and does the same as the whole tree: the subtree of the
     * command the first argument after the global options names, and for every other command an entry that holds
     * its names and texts only, which is all the root's help and its "missing command" error read. Anything else
     * gets the whole tree: an unknown command or option (picocli's "did you mean" looks through the tree), an
     * @file, completion (its script walks every command).
     */
    CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(this);
        Optional<String> first = firstCommand(cl.getCommandSpec(), args);
        if (first == null) {
            return wholeTree(cl);
        }
        Class<?> named = null;
        for (Class<?> c : COMMANDS) {
            if (first.isPresent() && named == null && isNamed(c.getAnnotation(Command.class), first.get())) {
                named = c;
            }
        }
        if (first.isPresent() && (named == null || NEED_THE_TREE.contains(named))) {
            return wholeTree(cl);
        }
        for (Class<?> c : COMMANDS) {
            if (c == named) {
                cl.addSubcommand(c);
            } else {
                Command command = c.getAnnotation(Command.class);
                cl.addSubcommand(command.name(), new CommandLine(entry(command)));
            }
        }
        return cl;
    }

    /**
     * The first argument that is not a global option or its value (empty: there is none), or null when the
     * arguments hold what this look-up does not follow: an unknown or clustered option, "--", an @file.
     */
    private static Optional<String> firstCommand(CommandSpec root, String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@") || arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return Optional.of(arg);
            }
            int eq = arg.indexOf('=');
            OptionSpec option = root.findOption(eq < 0 ? arg : arg.substring(0, eq)); // exact, as it has a dash
            if (option == null) {
                return null;
            }
            if (eq < 0 && option.arity().max() > 0) {
                i++; // its value
            }
        }
        return Optional.empty();
    }

    private static boolean isNamed(Command command, String name) {
        return command.name().equals(name) || Arrays.asList(command.aliases()).contains(name);
    }

    /** A command as the root's help and "missing command" error see it: names and texts, no options. */
    private static CommandSpec entry(Command command) {
        CommandSpec spec = CommandSpec.create().name(command.name()).aliases(command.aliases());
        spec.usageMessage()
                .header(command.header())
                .description(command.description())
                .hidden(command.hidden());
        return spec;
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
