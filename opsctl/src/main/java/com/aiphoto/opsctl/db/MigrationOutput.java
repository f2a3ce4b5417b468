package com.aiphoto.opsctl.db;

import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationFailedException;
import com.aiphoto.core.db.MigrationListener;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.core.db.MigrationStep;
import com.aiphoto.core.db.SqlScript;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** How plans (--dry-run) and batches are printed and turned into JSON, shared by migrate and rollback. */
final class MigrationOutput {
    private MigrationOutput() {}

    /**
     * Runs a migrate or rollback with progress output. A failed statement ends it with exit 1 and
     * {@code hint} after the engine's message; under --json the document lists what finished before it.
     */
    static MigrationBatch run(
            PrintWriter out,
            PrintWriter err,
            boolean json,
            boolean quiet,
            Function<MigrationListener, MigrationBatch> action,
            String hint) {
        try (MigrationProgress progress = new MigrationProgress(out, err, json, quiet)) {
            try {
                return action.apply(progress);
            } catch (MigrationFailedException e) {
                throw new OpsctlException(
                        ExitCode.FAILED,
                        e.getMessage() + "; " + hint,
                        e,
                        new Failed(e.getMessage(), results(progress.finished())));
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
            for (SqlScript.Statement st :
                    s.sql().statements().subList(s.startAt(), s.sql().size())) {
                out.println("-- statement " + st.number() + " of " + s.sql().size() + ", line " + st.line());
                out.println(st.sql() + ";");
            }
        }
    }

    /** --json of a dry run. */
    record Plan(boolean dryRun, String fromVersion, boolean backupFirst, List<PlannedStep> migrations) {}

    /** A migration a dry run would run, with its statements. */
    record PlannedStep(
            String version,
            String description,
            String script,
            String direction,
            int startAt,
            List<SqlScript.Statement> statements) {}

    /** --json of a migrate or rollback; {@code batch} is null when there was nothing to do. */
    record Batch(Long batch, String fromVersion, String toVersion, String backup, List<StepResult> migrations) {}

    /** --json when a statement failed: the engine's message and what finished before it. */
    record Failed(String error, List<StepResult> migrations) {}

    /** One migration run (or undone). */
    record StepResult(
            String version,
            String description,
            String script,
            String direction,
            int startAt,
            long durationMs,
            int statementsRun,
            List<String> skipped) {}

    static Plan planJson(MigrationPlan plan, boolean backupFirst) {
        return new Plan(
                true,
                plan.currentVersion(),
                backupFirst,
                plan.steps().stream()
                        .map(s -> new PlannedStep(
                                s.version(),
                                s.description(),
                                s.script(),
                                direction(s),
                                s.startAt(),
                                s.sql()
                                        .statements()
                                        .subList(s.startAt(), s.sql().size())))
                        .toList());
    }

    static Batch batchJson(MigrationBatch b) {
        return new Batch(b.id() == 0 ? null : b.id(), b.fromVersion(), b.toVersion(), b.backup(), results(b.results()));
    }

    static List<StepResult> results(List<MigrationBatch.Result> results) {
        return results.stream()
                .map(r -> new StepResult(
                        r.step().version(),
                        r.step().description(),
                        r.step().script(),
                        direction(r.step()),
                        r.step().startAt(),
                        r.durationMs(),
                        r.statementsRun(),
                        r.skipped()))
                .toList();
    }

    private static String direction(MigrationStep s) {
        return s.direction().name().toLowerCase(Locale.ROOT);
    }
}
