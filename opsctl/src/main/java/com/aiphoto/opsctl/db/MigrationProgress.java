package com.aiphoto.opsctl.db;

import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationListener;
import com.aiphoto.core.db.MigrationStep;
import com.aiphoto.core.db.SqlScript;
import com.aiphoto.opsctl.cli.Format;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a migrate or rollback prints while it runs: each finished migration on stdout (not under --json),
 * lock waits and statements running longer than 2 s (every 5 s, with the elapsed time) on stderr.
 */
final class MigrationProgress implements MigrationListener, AutoCloseable {
    private static final long SLOW_MS = 2000;
    private static final long REPEAT_MS = 5000;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean lines;
    private final boolean quiet;
    private final List<MigrationBatch.Result> finished = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile MigrationStep step;
    private volatile SqlScript.Statement statement;
    private volatile long statementStart;
    private volatile long lastReport;

    MigrationProgress(PrintWriter out, PrintWriter err, boolean json, boolean quiet) {
        this.out = out;
        this.err = err;
        this.lines = !json;
        this.quiet = quiet;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "migration-progress");
            t.setDaemon(true);
            return t;
        });
        // the ticker is shut down with the progress; a failed tick must not end the migration
        var unused = ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The migrations finished so far (for the JSON document of a batch that failed part-way). */
    List<MigrationBatch.Result> finished() {
        return List.copyOf(finished);
    }

    @Override
    public void warning(String message) {
        err.println("opsctl: warning: " + message); // even under -q: it may need attention
    }

    @Override
    public void waiting(String message) {
        if (!quiet) {
            err.println("opsctl: " + message);
        }
    }

    @Override
    public void statementStarted(MigrationStep step, SqlScript.Statement statement) {
        this.step = step;
        this.statementStart = System.nanoTime();
        this.lastReport = 0;
        this.statement = statement;
    }

    @Override
    public void stepFinished(MigrationBatch.Result result) {
        statement = null;
        finished.add(result);
        if (lines) {
            out.println(line(result));
        }
    }

    static String line(MigrationBatch.Result r) {
        MigrationStep s = r.step();
        String verb = s.direction() == MigrationStep.Direction.UP ? "applied" : "undone";
        String resumed = s.startAt() > 0 ? " (continued at statement " + (s.startAt() + 1) + ")" : "";
        String skipped = r.skipped().isEmpty() ? "" : " (nothing to undo for " + String.join(", ", r.skipped()) + ")";
        return String.format(
                "  V%-6s %-36s %-8s %8s%s%s",
                s.version(), s.description(), verb, Format.millis(r.durationMs()), resumed, skipped);
    }

    private void tick() {
        SqlScript.Statement st = statement;
        MigrationStep sp = step;
        if (st == null || sp == null || quiet) {
            return;
        }
        long now = System.nanoTime();
        long running = (now - statementStart) / 1_000_000;
        if (running >= SLOW_MS && (lastReport == 0 || (now - lastReport) / 1_000_000 >= REPEAT_MS)) {
            lastReport = now;
            err.println("opsctl: " + sp.label() + " statement " + st.number() + "/"
                    + sp.sql().size() + " (line " + st.line() + ") running for " + Format.millis(running));
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
