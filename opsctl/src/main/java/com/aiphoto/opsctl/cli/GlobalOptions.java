package com.aiphoto.opsctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, before or after the subcommand name. Mixed into the root only: INHERIT
 * copies them into each subcommand sharing the root's fields, so commands read them from {@link Opsctl}.
 */
public final class GlobalOptions {
    @Option(
            names = "--env-file",
            paramLabel = "PATH",
            scope = ScopeType.INHERIT,
            description = "Env file to read (default: ./.env if present, else /etc/ai-photo/ai-photo.env).")
    public Path envFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine output: one JSON document on stdout.")
    public boolean json;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "More detail, debug logging and stack traces on errors.")
    public boolean verbose;

    @Option(
            names = {"-q", "--quiet"},
            scope = ScopeType.INHERIT,
            description = "Print only results and errors.")
    public boolean quiet;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    public boolean help;
}
