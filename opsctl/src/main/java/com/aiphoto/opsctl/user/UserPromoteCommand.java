package com.aiphoto.opsctl.user;

import com.aiphoto.core.account.PhoneNumbers;
import com.aiphoto.core.account.Role;
import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.opsctl.cli.Audits;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sets an account's role: how the first admin is made, and how an admin is demoted (effective at once). */
@Command(name = "promote", description = "Set the role of the account with PHONE (admin or user).")
final class UserPromoteCommand extends OpsCommand {
    /** picocli takes the role as stored and sent: lower case. */
    static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected admin or user, got '" + value + "'");
            }
        }
    }

    static final class RoleNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Role.values()).map(Role::id).iterator();
        }
    }

    @Parameters(paramLabel = "PHONE", description = "The account's mobile number (the user logs in once first).")
    String phone;

    @Option(
            names = "--role",
            required = true,
            converter = RoleConverter.class,
            completionCandidates = RoleNames.class,
            description = "admin or user.")
    Role role;

    @Option(names = "--dry-run", description = "Show what would change; change nothing.")
    boolean dryRun;

    /** --json. */
    record Promotion(long id, String role, boolean changed, boolean dryRun) {}

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = out();
        try (OpsDatabase db = openDatabase()) {
            UserAccounts accounts = new UserAccounts(db.dataSource());
            UserAccounts.Account a = find(accounts, phone);
            String target = role.id();
            boolean change = !target.equals(a.role().toLowerCase(Locale.ROOT));
            if (change && !dryRun) {
                AuditLog audit = Audits.of(db, settings());
                Audits.inTransaction(db, h -> {
                    if (!UserAccounts.setRole(h, a.id(), target, RedisAccountChanges.from(settings(), err()))) {
                        throw new OpsctlException(ExitCode.FAILED, "user " + a.id() + " disappeared; nothing changed");
                    }
                    return audit.record(
                            h,
                            AuditLog.Entry.byOpsctl(
                                    "user.role.set",
                                    "user",
                                    Long.toString(a.id()),
                                    Map.of("from", a.role().toLowerCase(Locale.ROOT), "to", target)));
                });
            }
            String what = !change
                    ? "already " + target
                    : (dryRun ? "would change " : "changed ") + a.role() + " -> " + target;
            if (json()) {
                out.println(Json.write(new Promotion(a.id(), dryRun ? a.role() : target, change && !dryRun, dryRun)));
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
        return accounts.byPhone(phone)
                .orElseThrow(() -> new OpsctlException(
                        ExitCode.FAILED, "no account with phone " + phone + " (the user must log in once first)"));
    }
}
