package com.aiphoto.opsctl.db;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrationStatus;
import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Every migration with its state, batch, time and duration; a failed one with the statement where it stopped.
 * Monitoring-plugin exit codes: OK up to date, WARNING pending (or running), CRITICAL failed or mismatch.
 */
@Command(
        name = "status",
        description = "Table of migrations: state, batch, applied at, duration; the lock holder.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK, up to date",
            "1:WARNING, migrations pending (or running)",
            "2:CRITICAL, a migration failed, or the files do not match the database",
            "3:UNKNOWN, the database cannot be asked"
        })
final class DbStatusCommand extends CheckCommand {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    LocationOption location;

    @Override
    protected String service() {
        return "DB";
    }

    /** --json: the status with every migration. */
    record Status(
            CheckStatus status,
            String database,
            String schemaVersion,
            long pending,
            int bad,
            String lockHolder,
            List<Migration> migrations) {}

    /** One row of --json; {@code failure} only where a migration stopped part-way. */
    record Migration(
            String version,
            String description,
            String script,
            String state,
            Long batch,
            Instant appliedAt,
            Long durationMs,
            String problem,
            @JsonInclude(JsonInclude.Include.NON_NULL) MigrationStatus.Failure failure) {
        static Migration of(MigrationStatus.Row r) {
            return new Migration(
                    r.version(),
                    r.description(),
                    r.script(),
                    r.state(),
                    r.batch(),
                    r.appliedAt(),
                    r.durationMs(),
                    r.problem(),
                    r.failure());
        }
    }

    @Override
    protected CheckResult check() {
        Settings settings = settings();
        String database;
        boolean embedded;
        MigrationStatus status;
        try (OpsDatabase db = openDatabase()) {
            database = db.describe();
            embedded = db.settings().embedded();
            status = db.migrations(settings, location.location).status();
        }
        CheckStatus result = !status.bad().isEmpty()
                ? CheckStatus.CRITICAL
                : status.count(MigrationStatus.PENDING) + status.count(MigrationStatus.RUNNING) > 0
                                || !status.warnings().isEmpty()
                        ? CheckStatus.WARNING
                        : CheckStatus.OK;
        String summary = summary(status, embedded);
        return new CheckResult(
                result,
                summary,
                database + " " + summary,
                CheckResult.perf(
                        "pending",
                        status.count(MigrationStatus.PENDING),
                        "bad",
                        status.bad().size()),
                table(status),
                new Status(
                        result,
                        database,
                        status.currentVersion(),
                        status.count(MigrationStatus.PENDING),
                        status.bad().size(),
                        status.lockHolder(),
                        status.rows().stream().map(Migration::of).toList()));
    }

    private static String summary(MigrationStatus s, boolean embedded) {
        String lock = embedded
                ? "no lock (embedded database)"
                : s.lockHolder() == null ? "lock free" : "lock held by " + s.lockHolder();
        String text = "at version " + s.currentVersion() + ", " + s.count(MigrationStatus.PENDING) + " pending, "
                + s.bad().size() + " failed or mismatched; " + lock;
        if (!s.bad().isEmpty()) {
            return text + "; " + s.bad().getFirst().problem();
        }
        return s.warnings().isEmpty()
                ? text
                : text + "; " + s.warnings().getFirst().problem();
    }

    private static List<String> table(MigrationStatus s) {
        List<String> out = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VERSION", "DESCRIPTION", "STATE", "BATCH", "APPLIED AT", "DURATION"});
        for (MigrationStatus.Row r : s.rows()) {
            rows.add(new String[] {
                r.version(),
                r.description(),
                r.state(),
                r.batch() == null ? "-" : r.batch().toString(),
                r.appliedAt() == null ? "-" : TIME.format(r.appliedAt()),
                r.durationMs() == null ? "-" : Format.millis(r.durationMs())
            });
        }
        int[] width = new int[6];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        });
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                sb.append(c == row.length - 1 ? row[c] : String.format("%-" + (width[c] + 2) + "s", row[c]));
            }
            out.add(sb.toString().stripTrailing());
            MigrationStatus.Row r = i == 0 ? null : s.rows().get(i - 1);
            if (r != null && r.problem() != null) {
                out.add("    " + r.problem());
            }
        }
        return out;
    }
}
