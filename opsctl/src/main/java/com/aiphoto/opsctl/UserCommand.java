package com.aiphoto.opsctl;

import picocli.CommandLine.Command;

@Command(name = "user", description = "Look up accounts and set their role (bootstraps the first admin).",
        subcommands = {UserShowCommand.class, UserPromoteCommand.class})
final class UserCommand extends GroupCommand {
}
