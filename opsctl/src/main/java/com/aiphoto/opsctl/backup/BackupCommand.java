package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "backup",
        description = "Back up, verify, restore and prune the application database.",
        subcommands = {
            BackupCreateCommand.class,
            BackupListCommand.class,
            BackupVerifyCommand.class,
            BackupRestoreCommand.class,
            BackupPruneCommand.class,
            BackupStatusCommand.class,
            BackupCleanupCommand.class
        })
public final class BackupCommand extends GroupCommand {}
