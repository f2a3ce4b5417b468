package com.aiphoto.opsctl.user;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.core.ledger.LedgerEntry;
import com.aiphoto.core.ledger.LedgerException;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.opsctl.cli.Audits;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Corrects an account's quota through core's ledger (reason {@code adjust}), the same code the server grants and
 * deducts with: the change and its ledger row commit together under the user's row lock, and the balance never
 * goes below zero. Each invocation is its own change (a fresh ref): running it twice adds twice.
 */
@Command(
        name = "quota",
        description = "Add quota to (or, with a negative N, take it from) the account with PHONE, with a reason.")
final class UserQuotaCommand extends OpsCommand {
    private static final int MAX_REASON = 200;

    @Parameters(paramLabel = "PHONE", description = "The account's mobile number.")
    String phone;

    @Option(
            names = "--add",
            required = true,
            paramLabel = "N",
            description = "Quota to add; negative takes quota away (never below zero).")
    int add;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "TEXT",
            description = "Why (kept in the ledger with who ran it), e.g. a ticket number.")
    String reason;

    /** --json. */
    record Adjusted(long id, int delta, int quotaRemaining, String ref) {}

    @Override
    public Integer call() throws SQLException {
        if (add == 0) {
            throw new OpsctlException(ExitCode.USAGE, "--add must not be 0");
        }
        if (reason.isBlank() || reason.length() > MAX_REASON) {
            throw new OpsctlException(ExitCode.USAGE, "--reason must be 1.." + MAX_REASON + " characters");
        }
        PrintWriter out = out();
        try (OpsDatabase db = openDatabase()) {
            UserAccounts.Account a = UserPromoteCommand.find(new UserAccounts(db.dataSource()), phone);
            QuotaLedger ledger = new QuotaLedger(
                    new Jdbc(db.dataSource(), Duration.ZERO),
                    Clock.systemUTC(),
                    RedisAccountChanges.from(settings(), err()));
            AuditLog audit = Audits.of(db, settings());
            String ref = "opsctl:" + Secrets.randomHex(12);
            String note = reason.strip() + " [" + Migrations.actor("opsctl") + "]";
            LedgerEntry e;
            try {
                // the ledger row, the balance and the audit row commit together
                e = Audits.inTransaction(db, h -> {
                    LedgerEntry entry =
                            ledger.adjust(h, a.id(), add, ref, note.length() > 255 ? note.substring(0, 255) : note);
                    audit.record(
                            h,
                            AuditLog.Entry.byOpsctl(
                                    "user.quota.adjust",
                                    "user",
                                    Long.toString(a.id()),
                                    Map.of(
                                            "delta", entry.delta(),
                                            "balanceAfter", entry.balanceAfter(),
                                            "reason", reason.strip(),
                                            "ledgerRef", ref)));
                    return entry;
                });
            } catch (LedgerException.InsufficientQuota refused) {
                throw new OpsctlException(
                        ExitCode.FAILED,
                        "user " + a.id() + " has " + a.quota() + " quota; cannot take " + -add + "; nothing changed");
            }
            if (json()) {
                out.println(Json.write(new Adjusted(a.id(), e.delta(), e.balanceAfter(), ref)));
            } else {
                out.println("user " + a.id() + " (" + phone + "): quota " + (add > 0 ? "+" : "") + add + " -> "
                        + e.balanceAfter() + " (ledger ref " + ref + ")");
            }
            return ExitCode.OK;
        }
    }
}
