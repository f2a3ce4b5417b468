package com.aiphoto.opsctl;

import picocli.CommandLine.Command;

@Command(name = "db", description = "Migrate, roll back and inspect the database schema.",
        subcommands = {DbMigrateCommand.class, DbRollbackCommand.class, DbStatusCommand.class,
                DbValidateCommand.class})
final class DbCommand extends GroupCommand {
}
