package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.YesOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
        name = "prune",
        description = {
            "Delete old backups, grandfather-father-son: keep the newest backup of each"
                    + " of the last N days, weeks and months that have backups.",
            "Never deletes the newest verified backup."
                    + " Also removes .partial files left by a backup that died over a day ago."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:pruned (or nothing to prune)",
            "1:a file could not be deleted",
            "2:usage error",
            "3:no --yes without a terminal"
        })
final class BackupPruneCommand extends OpsCommand {
    private static final Duration PARTIAL_AGE = Duration.ofDays(1);

    @Mixin
    BackupDirOption dir;

    @Option(
            names = "--keep-daily",
            paramLabel = "N",
            defaultValue = "7",
            description = "Days (default: ${DEFAULT-VALUE}).")
    int daily;

    @Option(
            names = "--keep-weekly",
            paramLabel = "N",
            defaultValue = "4",
            description = "Weeks (default: ${DEFAULT-VALUE}).")
    int weekly;

    @Option(
            names = "--keep-monthly",
            paramLabel = "N",
            defaultValue = "6",
            description = "Months (default: ${DEFAULT-VALUE}).")
    int monthly;

    @Option(names = "--dry-run", description = "List what would be kept and deleted; delete nothing.")
    boolean dryRun;

    @Mixin
    YesOption yes;

    /** --json. */
    record Pruned(
            boolean dryRun, List<Kept> kept, List<String> deleted, List<String> partialsDeleted, long bytesFreed) {}

    /** A backup kept, and why (newest daily, weekly, ..., newest verified). */
    record Kept(String name, List<String> reasons) {}

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (daily < 0 || weekly < 0 || monthly < 0) {
            throw new ParameterException(spec.commandLine(), "--keep-* must not be negative");
        }
        if (daily + weekly + monthly == 0) {
            // as restic forget does: an empty policy would delete every backup but the newest verified one
            throw new ParameterException(
                    spec.commandLine(),
                    "--keep-daily, --keep-weekly and --keep-monthly are"
                            + " all 0: that keeps nothing; keep at least one");
        }
        Settings settings = settings();
        PrintWriter out = out();
        BackupStore store = dir.store(settings);
        List<String> unreadable = new ArrayList<>();
        List<Retention.Decision> decisions =
                Retention.decide(store.list(unreadable), new Retention.Policy(daily, weekly, monthly));
        unreadable.forEach(u -> err().println("opsctl: warning: " + u + " (left alone)"));
        List<Retention.Decision> delete =
                decisions.stream().filter(d -> !d.keep()).toList();
        Instant now = Instant.now();
        List<Path> partials = new ArrayList<>();
        for (Path p : store.partials()) {
            if (Files.getLastModifiedTime(p).toInstant().isBefore(now.minus(PARTIAL_AGE))) {
                partials.add(p);
            }
        }
        long freed = delete.stream().mapToLong(d -> d.backup().size()).sum();
        if (!json() && !quiet()) {
            for (Retention.Decision d : decisions) {
                out.println(String.format(
                        "%-7s %s%s",
                        d.keep() ? "keep" : "delete",
                        d.backup().name(),
                        d.keep() ? "  (" + String.join(", ", d.reasons()) + ")" : ""));
            }
            partials.forEach(p -> out.println("delete  " + p.getFileName() + "  (left by an interrupted backup)"));
        }
        if (!dryRun && !(delete.isEmpty() && partials.isEmpty())) {
            yes.confirm("Delete " + Format.plural(delete.size(), "backup") + " (" + Format.bytes(freed) + ") from "
                    + store.dir() + "?");
            try (BackupStore.DirectoryLock lock = store.lock(m -> err().println("opsctl: " + m))) {
                for (Retention.Decision d : delete) {
                    store.delete(d.backup());
                }
                for (Path p : partials) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (json()) {
            out.println(Json.write(new Pruned(
                    dryRun,
                    decisions.stream()
                            .filter(Retention.Decision::keep)
                            .map(d -> new Kept(d.backup().name(), d.reasons()))
                            .toList(),
                    delete.stream().map(d -> d.backup().name()).toList(),
                    partials.stream().map(p -> p.getFileName().toString()).toList(),
                    freed)));
        } else {
            out.println((dryRun ? "dry run: would delete " : "deleted ") + Format.plural(delete.size(), "backup")
                    + " (" + Format.bytes(freed) + ")"
                    + (partials.isEmpty() ? "" : " and " + Format.plural(partials.size(), "partial file")) + ", kept "
                    + (decisions.size() - delete.size())
                    + " in " + store.dir());
        }
        return ExitCode.OK;
    }
}
