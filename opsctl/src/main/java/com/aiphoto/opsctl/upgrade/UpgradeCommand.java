package com.aiphoto.opsctl.upgrade;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.MigrateRequest;
import com.aiphoto.core.db.MigrationBatch;
import com.aiphoto.core.db.MigrationFailedException;
import com.aiphoto.core.db.MigrationListener;
import com.aiphoto.core.db.MigrationPlan;
import com.aiphoto.core.db.MigrationStep;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.opsctl.backup.PreMigrationBackup;
import com.aiphoto.opsctl.cli.DurationConverter;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rolling upgrade: backup, pending migrations, then each API instance in turn drained, restarted and
 * waited for; the first instance that does not come back healthy stops the rollout with the others untouched.
 */
@Command(
        name = "upgrade",
        description = {
            "Zero-downtime rolling upgrade of the API instances (API_INSTANCES) onto the installed build.",
            "Takes a backup, applies pending migrations, then one instance at a time: drains it (POST"
                    + " /observe/drain on its admin port: readiness 503, nginx moves traffic to the others), waits"
                    + " until nothing is in flight, restarts it (API_RESTART_CMD), waits for health as health --wait"
                    + " does, and lets nginx take it back before the next. Instances unhealthy at the start go first"
                    + " (restarting them costs no capacity). An instance that does not come back healthy stops the"
                    + " rollout: the ones not reached keep serving, and the way to roll back is printed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every instance restarted and healthy (or --dry-run)",
            "1:a step failed: backup, migration, a restart or an instance's health; the rollout stopped there",
            "2:usage error",
            "3:precondition: API_INSTANCES unusable or the migration lock held; nothing changed"
        })
public final class UpgradeCommand extends OpsCommand {
    @Option(
            names = "--dry-run",
            description = "Print the plan (backup, pending migrations, instances and the"
                    + " restart command of each); change nothing.")
    boolean dryRun;

    @Option(names = "--no-backup", description = "Skip the backup taken before anything changes.")
    boolean noBackup;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "The longest wait for an instance to drain before it is restarted anyway (default:"
                    + " ${DEFAULT-VALUE}; its graceful stop then gives what is left SHUTDOWN_TIMEOUT).")
    Duration drainTimeout;

    @Option(
            names = "--quiet-period",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Drained means nothing in flight and no new request for this long (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration quietPeriod;

    @Option(
            names = "--restart-timeout",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "The longest API_RESTART_CMD may run (default: ${DEFAULT-VALUE}).")
    Duration restartTimeout;

    @Option(
            names = "--health-wait",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long a restarted instance has to become healthy (default: ${DEFAULT-VALUE}).")
    Duration healthWait;

    @Option(
            names = "--settle",
            paramLabel = "DURATION",
            defaultValue = "12s",
            converter = DurationConverter.class,
            description = "Wait after an instance is healthy before draining the next, longer than nginx's"
                    + " fail_timeout (10s), so nginx sends it traffic again first (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(
            names = "--lock-wait",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for another migrator's lock (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    /** --json and the failure document: what happened, step by step. */
    record Report(
            String result,
            boolean dryRun,
            String backup,
            Migrated migrations,
            List<Rollout.Turn> instances,
            long durationMs,
            String rollback) {}

    /** The migration step: {@code batch} null when nothing was pending. */
    record Migrated(String fromVersion, String toVersion, int applied, Long batch, List<String> pending) {}

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Settings s = settings();
        List<Instance> instances = Instance.configured(s);
        String template = s.get("API_RESTART_CMD");
        Rollout.Timings timings = new Rollout.Timings(drainTimeout, quietPeriod, restartTimeout, healthWait, settle);
        PrintWriter out = out();
        try (OpsDatabase db = openDatabase();
                DrainClient drains = new DrainClient(Duration.ofSeconds(5))) {
            Migrations migrations = db.migrations(s, null);
            Rollout rollout = new Rollout(drains, timings, template, err(), quiet());
            if (dryRun) {
                return dryRun(out, db, migrations.planMigrate(Optional.empty()), instances, template, rollout);
            }
            // an instance already down (or left draining) is restarted first: that costs no capacity, and an
            // operator rolling back onto the previous build needs exactly that
            List<Instance> order = new ArrayList<>();
            for (Instance i : instances) {
                String why = rollout.notReady(i);
                if (!why.isEmpty()) {
                    warn(i.name() + " is not healthy now (" + why + "): it goes first");
                    order.add(i);
                }
            }
            if (order.size() == instances.size() && instances.size() > 1) {
                warn("no instance is healthy: restarting them all");
            }
            instances.stream().filter(i -> !order.contains(i)).forEach(order::add);
            instances = List.copyOf(order);

            String backup = null;
            if (!noBackup) {
                progress("backup of " + db.describe());
                backup = PreMigrationBackup.beforeUpgrade(s, db, err(), quiet());
                progress("backup " + backup + " written");
            }
            Migrated migrated = migrate(db, migrations, backup);

            List<Rollout.Turn> turns = new ArrayList<>();
            for (int n = 0; n < instances.size(); n++) {
                Instance i = instances.get(n);
                progress("instance " + (n + 1) + " of " + instances.size() + ": " + i.name());
                Rollout.Turn turn = rollout.turn(i);
                turns.add(turn);
                if (!turn.ok()) {
                    instances.subList(n + 1, instances.size()).forEach(x -> turns.add(Rollout.Turn.notReached(x)));
                    String rollback = rollbackHint(backup, migrated);
                    Report report = new Report("failed", false, backup, migrated, turns, ms(t0), rollback);
                    if (!json()) {
                        printSummary(out, report);
                    }
                    throw new OpsctlException(
                            ExitCode.FAILED,
                            i.name() + " " + turn.failedStep() + " failed: " + turn.detail() + "; rollout stopped, "
                                    + (n + 1 < instances.size()
                                            ? "not reached: "
                                                    + String.join(
                                                            ", ",
                                                            instances.subList(n + 1, instances.size()).stream()
                                                                    .map(Instance::name)
                                                                    .toList())
                                                    + " (serving the old build); "
                                            : "")
                                    + "to roll back: " + rollback,
                            null,
                            report);
                }
                if (n + 1 < instances.size()) {
                    rollout.settle(i);
                }
            }
            Report report = new Report("ok", false, backup, migrated, turns, ms(t0), null);
            if (json()) {
                out.println(Json.write(report));
            } else {
                printSummary(out, report);
            }
            return ExitCode.OK;
        }
    }

    private Migrated migrate(OpsDatabase db, Migrations migrations, String backup) {
        MigrationPlan plan = migrations.planMigrate(Optional.empty());
        List<String> pending = plan.steps().stream().map(MigrationStep::label).toList();
        if (plan.isEmpty()) {
            progress("no pending migrations (" + db.describe() + " at version " + plan.currentVersion() + ")");
            return new Migrated(plan.currentVersion(), plan.currentVersion(), 0, null, pending);
        }
        progress("applying " + Format.plural(pending.size(), "migration") + ": " + String.join(", ", pending));
        MigrationBatch batch;
        try {
            batch = migrations.migrate(
                    new MigrateRequest(
                            Optional.empty(),
                            Migrations.actor("opsctl upgrade"),
                            lockWait,
                            p -> Optional.ofNullable(backup)),
                    new MigrationListener() {
                        @Override
                        public void waiting(String message) {
                            progress(message);
                        }

                        @Override
                        public void stepFinished(MigrationBatch.Result r) {
                            progress("applied " + r.step().label() + " in " + Format.millis(r.durationMs()));
                        }
                    });
        } catch (MigrationFailedException e) {
            throw new OpsctlException(
                    ExitCode.FAILED,
                    e.getMessage() + "; no instance was restarted (they serve the old build); see opsctl db status,"
                            + " then opsctl db rollback" + (backup == null ? "" : " or restore backup " + backup),
                    e);
        }
        return new Migrated(
                batch.fromVersion(),
                batch.toVersion(),
                batch.results().size(),
                batch.id() == 0 ? null : batch.id(),
                pending);
    }

    private int dryRun(
            PrintWriter out,
            OpsDatabase db,
            MigrationPlan plan,
            List<Instance> instances,
            String template,
            Rollout rollout) {
        List<String> pending = plan.steps().stream().map(MigrationStep::label).toList();
        if (json()) {
            List<Rollout.Turn> turns = instances.stream()
                    .map(i -> new Rollout.Turn(
                            i.name(), i.adminPort(), "planned", null, 0, 0, 0, 0, i.restartCommand(template)))
                    .toList();
            out.println(Json.write(new Report(
                    "planned",
                    true,
                    noBackup ? null : "pre-upgrade backup into " + settings().get("BACKUP_DIR"),
                    new Migrated(plan.currentVersion(), null, pending.size(), null, pending),
                    turns,
                    0,
                    null)));
            return ExitCode.OK;
        }
        out.println("dry run: would upgrade " + Format.plural(instances.size(), "instance") + " of " + db.describe());
        out.println("  1. "
                + (noBackup
                        ? "no backup (--no-backup)"
                        : "back up into " + settings().get("BACKUP_DIR")));
        out.println("  2. "
                + (pending.isEmpty()
                        ? "no pending migrations (at version " + plan.currentVersion() + ")"
                        : "apply " + String.join(", ", pending) + " (from version " + plan.currentVersion() + ")"));
        int step = 3;
        for (Instance i : instances) {
            String ready = rollout.notReady(i);
            out.println("  " + step++ + ". " + i.name() + " (admin " + i.adminPort() + "): drain, restart with '"
                    + i.restartCommand(template) + "', wait for health"
                    + (ready.isEmpty() ? "" : "  [now: " + ready + "]"));
        }
        return ExitCode.OK;
    }

    static void printSummary(PrintWriter out, Report r) {
        out.println("upgrade " + r.result() + " in " + Format.millis(r.durationMs())
                + (r.backup() == null ? ", no backup" : ", backup " + r.backup())
                + (r.migrations().batch() == null
                        ? ", no migrations"
                        : ", migrated " + r.migrations().fromVersion() + " -> "
                                + r.migrations().toVersion() + " (batch "
                                + r.migrations().batch() + ")"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "RESULT", "DRAIN", "RESTART", "HEALTHY", "DETAIL"});
        for (Rollout.Turn t : r.instances()) {
            rows.add(new String[] {
                t.instance(),
                t.result() + (t.failedStep() == null ? "" : " (" + t.failedStep() + ")"),
                t.drainMs() == 0 ? "-" : Format.millis(t.drainMs()),
                t.restartMs() == 0 ? "-" : Format.millis(t.restartMs()),
                t.healthyMs() == 0 ? "-" : Format.millis(t.healthyMs()),
                t.ok() ? "" : t.detail()
            });
        }
        int[] w = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < 5; c++) {
                w[c] = Math.max(w[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < 5; c++) {
                b.append(String.format("%-" + w[c] + "s  ", row[c]));
            }
            out.println(b.append(row[5]).toString().stripTrailing());
        }
    }

    /** What the operator runs to go back, naming this run's batch and backup. */
    static String rollbackHint(String backup, Migrated m) {
        String db = m.batch() == null
                ? ""
                : "opsctl db rollback --yes with this build, which holds the down scripts (undoes batch " + m.batch()
                        + ", " + m.toVersion() + " back to " + m.fromVersion()
                        + (backup == null ? "" : "; or opsctl backup restore " + backup) + "), then ";
        return db + "reinstall the previous package (dpkg -i ai-photo_<previous>_all.deb), then opsctl upgrade"
                + " --no-backup to restart every instance onto it, the unhealthy one first (deploy/README.md, Roll"
                + " back)";
    }

    private void warn(String line) {
        err().println("opsctl: upgrade: warning: " + line);
        err().flush();
    }

    private void progress(String line) {
        if (!quiet()) {
            err().println("opsctl: upgrade: " + line);
            err().flush();
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
