package com.aiphoto.opsctl;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Show the account of a phone number.")
final class UserShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PHONE", description = "The account's mobile number.")
    String phone;

    @Override
    public Integer call() throws SQLException {
        Opsctl app = Opsctl.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        try (OpsDatabase db = OpsDatabase.connect(app.settings())) {
            UserAccounts.Account a = UserPromoteCommand.find(new UserAccounts(db.dataSource()), phone);
            if (app.globals().json) {
                out.println(Json.write(a.toJson()));
            } else {
                out.printf("user %d  phone %s  role %s  member until %s  quota %d  password %s  since %s%n", a.id(),
                        a.phone(), a.role(), a.memberExpiresAt() == null ? "-" : a.memberExpiresAt(), a.quota(),
                        a.hasPassword() ? "set" : "none", a.createdAt());
            }
            return ExitCode.OK;
        }
    }
}
