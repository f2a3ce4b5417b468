package com.aiphoto.opsctl.user;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "user",
        description = "Look up accounts and set their role (bootstraps the first admin).",
        subcommands = {UserShowCommand.class, UserPromoteCommand.class})
public final class UserCommand extends GroupCommand {}
