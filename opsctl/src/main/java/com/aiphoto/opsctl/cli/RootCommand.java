package com.aiphoto.opsctl.cli;

import com.aiphoto.core.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the root command gives every subcommand: the global options and the configuration, loaded on first use
 * so that commands which need none (help, completion) start fast and work without any env file.
 */
public abstract class RootCommand extends GroupCommand {
    @Mixin
    protected GlobalOptions globals;

    private final Map<String, String> environment;
    private final List<Path> fallbackEnvFiles;
    private Settings settings;
    private boolean envFileChecked;

    protected RootCommand(Map<String, String> environment, List<Path> fallbackEnvFiles) {
        this.environment = Map.copyOf(environment);
        this.fallbackEnvFiles = List.copyOf(fallbackEnvFiles);
    }

    /** The root of the command a picocli spec belongs to. */
    static RootCommand of(CommandSpec spec) {
        return (RootCommand) spec.root().userObject();
    }

    GlobalOptions globals() {
        return globals;
    }

    /** The configuration as the server would load it. */
    Settings settings() {
        if (settings == null) {
            settings = Settings.load(environment, globals.envFile, fallbackEnvFiles);
        }
        return settings;
    }

    /**
     * The env file holds the database password and the secrets: readable by group or others, it is a warning on
     * stderr (once per run), and refused in production (exit 3), where config check calls it a problem.
     */
    void checkEnvFileMode(PrintWriter err) {
        if (envFileChecked || settings.envFile().isEmpty()) {
            return;
        }
        envFileChecked = true;
        Path file = settings.envFile().get();
        Optional<String> mode;
        try {
            mode = FileModes.tooOpen(file);
        } catch (IOException e) {
            return; // it was just read; Settings reported any real problem with it
        }
        if (mode.isEmpty()) {
            return;
        }
        String what = "env file " + file + " is readable by group or others (mode " + mode.get() + ")";
        if (settings.isProduction()) {
            throw new OpsctlException(
                    ExitCode.PRECONDITION, what + "; refusing to use it in production: run chmod 600 " + file);
        }
        err.println("opsctl: warning: " + what + "; run chmod 600 " + file);
    }

    /** The loaded settings, or null when no command has needed them (yet): nothing to redact then. */
    protected Settings loadedSettings() {
        return settings;
    }
}
