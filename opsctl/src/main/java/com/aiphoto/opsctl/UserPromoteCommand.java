package com.aiphoto.opsctl;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.aiphoto.core.account.PhoneNumbers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sets an account's role: how the first admin is made, and how an admin is demoted (effective at once). */
@Command(name = "promote", description = "Set the role of the account with PHONE (admin or user).")
final class UserPromoteCommand implements Callable<Integer> {
    enum Role { admin, user }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PHONE", description = "The account's mobile number (the user logs in once first).")
    String phone;

    @Option(names = "--role", required = true, description = "admin or user.")
    Role role;

    @Option(names = "--dry-run", description = "Show what would change; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws SQLException {
        Opsctl app = Opsctl.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        try (OpsDatabase db = OpsDatabase.connect(app.settings())) {
            UserAccounts accounts = new UserAccounts(db.dataSource());
            UserAccounts.Account a = find(accounts, phone);
            String target = role.name();
            boolean change = !target.equals(a.role().toLowerCase(Locale.ROOT));
            if (change && !dryRun && !accounts.setRole(a.id(), target)) {
                throw new OpsctlException(ExitCode.FAILED, "user " + a.id() + " disappeared; nothing changed");
            }
            String what = !change ? "already " + target : (dryRun ? "would change " : "changed ") + a.role() + " -> "
                    + target;
            if (app.globals().json) {
                out.println(Json.write(Map.of("id", a.id(), "role", dryRun ? a.role() : target, "changed",
                        change && !dryRun, "dryRun", dryRun)));
            } else {
                out.println("user " + a.id() + " (" + phone + "): " + what);
            }
            return ExitCode.OK;
        }
    }

    /** The account, or exit 1 naming the phone; 2 when PHONE is not a mobile number. */
    static UserAccounts.Account find(UserAccounts accounts, String phone) throws SQLException {
        if (!PhoneNumbers.isValid(phone)) {
            throw new OpsctlException(ExitCode.USAGE, "PHONE must be an 11-digit mainland mobile number");
        }
        return accounts.byPhone(phone).orElseThrow(() -> new OpsctlException(ExitCode.FAILED,
                "no account with phone " + phone + " (the user must log in once first)"));
    }
}
