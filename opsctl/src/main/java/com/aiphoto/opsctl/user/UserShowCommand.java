package com.aiphoto.opsctl.user;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.PrintWriter;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show the account of a phone number.")
final class UserShowCommand extends OpsCommand {
    @Parameters(paramLabel = "PHONE", description = "The account's mobile number.")
    String phone;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = out();
        try (OpsDatabase db = openDatabase()) {
            UserAccounts.Account a = UserPromoteCommand.find(new UserAccounts(db.dataSource()), phone);
            if (json()) {
                out.println(Json.write(a));
            } else {
                out.printf(
                        "user %d  phone %s  role %s  member until %s  quota %d  password %s  since %s%n",
                        a.id(),
                        a.phone(),
                        a.role(),
                        a.memberExpiresAt() == null ? "-" : a.memberExpiresAt(),
                        a.quota(),
                        a.hasPassword() ? "set" : "none",
                        a.createdAt());
            }
            return ExitCode.OK;
        }
    }
}
