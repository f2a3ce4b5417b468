package com.aiphoto.opsctl.user;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "user",
        description = "Look up accounts, set their role (bootstraps the first admin), correct their quota.",
        subcommands = {UserShowCommand.class, UserPromoteCommand.class, UserQuotaCommand.class})
public final class UserCommand extends GroupCommand {}
