package com.aiphoto.opsctl.db;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationFailedException;
import com.aiphoto.core.db.MigrationListener;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.core.db.MigrationStep;
import com.aiphoto.core.db.SqlScript;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsctlException;

/** How plans (--dry-run) and batches are printed and turned into JSON, shared by migrate and rollback. */
final class MigrationOutput {
    private MigrationOutput() {
    }

    /**
     * Runs a migrate or rollback with progress output. A failed statement ends it with exit 1 and
     * {@code hint} after the engine's message; under --json the document lists what finished before it.
     */
    static MigrationBatch run(PrintWriter out, PrintWriter err, boolean json, boolean quiet,
                              Function<MigrationListener, MigrationBatch> action, String hint) {
        try (MigrationProgress progress = new MigrationProgress(out, err, json, quiet)) {
            try {
                return action.apply(progress);
            } catch (MigrationFailedException e) {
                if (json) {
                    out.println(Json.write(Map.of("error", e.getMessage(),
                            "migrations", results(progress.finished()))));
                }
                throw new OpsctlException(ExitCode.FAILED, e.getMessage() + "; " + hint, e);
            }
        }
    }

    /** Each migration with the SQL it would run, statement by statement. */
    static void printPlan(PrintWriter out, MigrationPlan plan) {
        for (MigrationStep s : plan.steps()) {
            int todo = s.sql().size() - s.startAt();
            out.println("-- " + s.label() + ": " + Format.plural(todo, "statement")
                    + (s.startAt() > 0 ? ", continuing after the " + s.startAt() + " already run" : "")
                    + (s.tolerant() ? "; it stopped part-way, so statements finding nothing to undo are skipped" : ""));
            for (SqlScript.Statement st : s.sql().statements().subList(s.startAt(), s.sql().size())) {
                out.println("-- statement " + st.number() + " of " + s.sql().size() + ", line " + st.line());
                out.println(st.sql() + ";");
            }
        }
    }

    static Map<String, Object> planJson(MigrationPlan plan, boolean backupFirst) {
        List<Object> steps = new ArrayList<>();
        for (MigrationStep s : plan.steps()) {
            Map<String, Object> m = step(s);
            List<Object> statements = new ArrayList<>();
            for (SqlScript.Statement st : s.sql().statements().subList(s.startAt(), s.sql().size())) {
                statements.add(Map.of("number", st.number(), "line", st.line(), "sql", st.sql()));
            }
            m.put("statements", statements);
            steps.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("dryRun", true);
        doc.put("fromVersion", plan.currentVersion());
        doc.put("backupFirst", backupFirst);
        doc.put("migrations", steps);
        return doc;
    }

    static Map<String, Object> batchJson(MigrationBatch b) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("batch", b.id() == 0 ? null : b.id());
        doc.put("fromVersion", b.fromVersion());
        doc.put("toVersion", b.toVersion());
        doc.put("backup", b.backup());
        doc.put("migrations", results(b.results()));
        return doc;
    }

    static List<Object> results(List<MigrationBatch.Result> results) {
        List<Object> out = new ArrayList<>();
        for (MigrationBatch.Result r : results) {
            Map<String, Object> m = step(r.step());
            m.put("durationMs", r.durationMs());
            m.put("statementsRun", r.statementsRun());
            m.put("skipped", r.skipped());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> step(MigrationStep s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("description", s.description());
        m.put("script", s.script());
        m.put("direction", s.direction().name().toLowerCase(java.util.Locale.ROOT));
        m.put("startAt", s.startAt());
        return m;
    }
}
