package com.aiphoto.opsctl.db;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrationException;
import com.aiphoto.core.db.MigrationStatus;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.check.NagiosOption;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Every migration with its state, batch, time and duration; a failed one with the statement where it stopped.
 * Monitoring-plugin exit codes: OK up to date, WARNING pending (or running), CRITICAL failed or mismatch.
 */
@Command(name = "status", description = "Table of migrations: state, batch, applied at, duration; the lock holder.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:OK, up to date", "1:WARNING, migrations pending (or running)",
                "2:CRITICAL, a migration failed, or the files do not match the database",
                "3:UNKNOWN, the database cannot be asked"})
final class DbStatusCommand extends OpsCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Mixin
    LocationOption location;

    @Mixin
    NagiosOption nagiosOption;

    @Override
    public Integer call() {
        boolean json = json();
        boolean nagios = nagiosOption.on(spec, json());
        PrintWriter out = out();
        String database = null;
        boolean embedded = false;
        MigrationStatus status;
        try {
            Settings settings = settings();
            try (OpsDatabase db = openDatabase()) {
                database = db.describe();
                embedded = db.settings().embedded();
                status = db.migrations(settings, location.location).status();
            }
        } catch (OpsctlException | MigrationException | ConfigException e) {
            if (!json && !nagios) {
                throw e instanceof OpsctlException o && o.exitCode() == ExitCode.FAILED
                        ? new OpsctlException(CheckStatus.UNKNOWN.exitCode, o.getMessage()) : e;
            }
            String why = e instanceof ConfigException c ? String.join("; ", c.problems()) : e.getMessage();
            out.println(json ? Json.write(Map.of("status", CheckStatus.UNKNOWN.name(), "error", why))
                    : CheckStatus.UNKNOWN.nagiosLine("DB", why, new LinkedHashMap<>()));
            return CheckStatus.UNKNOWN.exitCode;
        }
        CheckStatus result = !status.bad().isEmpty() ? CheckStatus.CRITICAL
                : status.count(MigrationStatus.PENDING) + status.count(MigrationStatus.RUNNING) > 0
                ? CheckStatus.WARNING : CheckStatus.OK;
        if (json) {
            out.println(Json.write(toMap(result, database, status)));
        } else if (nagios) {
            SequencedMap<String, Object> perf = new LinkedHashMap<>();
            perf.put("pending", status.count(MigrationStatus.PENDING));
            perf.put("bad", status.bad().size());
            out.println(result.nagiosLine("DB", summary(status, embedded), perf));
        } else {
            printTable(out, status, quiet());
            out.println("db " + result.name() + ": " + database + " " + summary(status, embedded));
        }
        return result.exitCode;
    }

    private static String summary(MigrationStatus s, boolean embedded) {
        String lock = embedded ? "no lock (embedded database)" : s.lockHolder() == null ? "lock free"
                : "lock held by " + s.lockHolder();
        String text = "at version " + s.currentVersion() + ", " + s.count(MigrationStatus.PENDING) + " pending, "
                + s.bad().size() + " failed or mismatched; " + lock;
        return s.bad().isEmpty() ? text : text + "; " + s.bad().getFirst().problem();
    }

    private static void printTable(PrintWriter out, MigrationStatus s, boolean quiet) {
        if (quiet) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VERSION", "DESCRIPTION", "STATE", "BATCH", "APPLIED AT", "DURATION"});
        for (MigrationStatus.Row r : s.rows()) {
            rows.add(new String[] {r.version(), r.description(), r.state(), r.batch() == null ? "-" : r.batch().toString(),
                    r.appliedAt() == null ? "-" : TIME.format(r.appliedAt()),
                    r.durationMs() == null ? "-" : Format.millis(r.durationMs())});
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
            out.println(sb.toString().stripTrailing());
            MigrationStatus.Row r = i == 0 ? null : s.rows().get(i - 1);
            if (r != null && r.problem() != null) {
                out.println("    " + r.problem());
            }
        }
    }

    private static Map<String, Object> toMap(CheckStatus result, String database, MigrationStatus s) {
        List<Object> rows = new ArrayList<>();
        for (MigrationStatus.Row r : s.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", r.version());
            m.put("description", r.description());
            m.put("script", r.script());
            m.put("state", r.state());
            m.put("batch", r.batch());
            m.put("appliedAt", r.appliedAt() == null ? null : r.appliedAt().toString());
            m.put("durationMs", r.durationMs());
            m.put("problem", r.problem());
            if (r.failure() != null) {
                MigrationStatus.Failure f = r.failure();
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("direction", f.direction());
                fm.put("statement", f.statement());
                fm.put("of", f.of());
                fm.put("line", f.line());
                fm.put("sql", f.sql());
                fm.put("error", f.error());
                fm.put("interrupted", f.interrupted());
                m.put("failure", fm);
            }
            rows.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", result.name());
        doc.put("database", database);
        doc.put("schemaVersion", s.currentVersion());
        doc.put("pending", s.count(MigrationStatus.PENDING));
        doc.put("bad", s.bad().size());
        doc.put("lockHolder", s.lockHolder());
        doc.put("migrations", rows);
        return doc;
    }
}
