package com.aiphoto.opsctl;

import picocli.CommandLine.Command;

@Command(name = "config", description = "Inspect the configuration.", subcommands = ConfigCheckCommand.class)
final class ConfigCommand extends GroupCommand {
}
