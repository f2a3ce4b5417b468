package com.aiphoto.opsctl.config;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(name = "config", description = "Inspect the configuration.", subcommands = ConfigCheckCommand.class)
public final class ConfigCommand extends GroupCommand {}
