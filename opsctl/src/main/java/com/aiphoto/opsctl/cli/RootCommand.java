package com.aiphoto.opsctl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.aiphoto.core.config.Settings;

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

    /** The loaded settings, or null when no command has needed them (yet): nothing to redact then. */
    protected Settings loadedSettings() {
        return settings;
    }
}
