package com.aiphoto.opsctl.db;

import com.aiphoto.opsctl.cli.GroupCommand;
import picocli.CommandLine.Command;

@Command(
        name = "db",
        description = "Migrate, roll back and inspect the database schema.",
        subcommands = {
            DbMigrateCommand.class,
            DbRollbackCommand.class,
            DbStatusCommand.class,
            DbValidateCommand.class,
            DbRepairCommand.class
        })
public final class DbCommand extends GroupCommand {}
