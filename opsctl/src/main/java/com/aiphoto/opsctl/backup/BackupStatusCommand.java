package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.DurationConverter;
import com.aiphoto.opsctl.cli.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Check command for monitoring: the age of the newest backup and of the newest verified one (both by when they
 * were taken) against thresholds; a failed last verification, or a newest backup without its data file, is
 * CRITICAL. Reads the directory only (no database), so it is cheap to run often.
 */
@Command(
        name = "status",
        description = "Check command: age of the newest backup and of the newest verified backup.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK",
            "1:WARNING, a backup older than its warning age",
            "2:CRITICAL, too old, none at all," + " or the newest verification failed",
            "3:UNKNOWN, the backup directory cannot be read"
        })
final class BackupStatusCommand extends CheckCommand {
    @Mixin
    BackupDirOption dir;

    @Option(
            names = "--warn-age",
            paramLabel = "DURATION",
            defaultValue = "26h",
            converter = DurationConverter.class,
            description = "Newest backup older than this: WARNING (default: ${DEFAULT-VALUE}).")
    Duration warnAge;

    @Option(
            names = "--crit-age",
            paramLabel = "DURATION",
            defaultValue = "50h",
            converter = DurationConverter.class,
            description = "Newest backup older than this: CRITICAL (default: ${DEFAULT-VALUE}).")
    Duration critAge;

    @Option(
            names = "--verified-warn-age",
            paramLabel = "DURATION",
            defaultValue = "8d",
            converter = DurationConverter.class,
            description = "Newest verified backup older than this: WARNING (default: ${DEFAULT-VALUE}).")
    Duration verifiedWarnAge;

    @Option(
            names = "--verified-crit-age",
            paramLabel = "DURATION",
            defaultValue = "15d",
            converter = DurationConverter.class,
            description = "Newest verified backup older than this: CRITICAL (default: ${DEFAULT-VALUE}).")
    Duration verifiedCritAge;

    /** --json: the status and the ages in seconds (null where there is no such backup). */
    record Status(CheckStatus status, String text, Long newestAgeSeconds, Long verifiedAgeSeconds, int count) {}

    @Override
    protected String service() {
        return "BACKUP";
    }

    @Override
    protected CheckResult check() {
        BackupStore store = dir.store(settings());
        Instant now = Instant.now();
        List<String> critical = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<BackupManifest> all;
        if (Files.exists(store.dir()) && !Files.isReadable(store.dir())) {
            return result(CheckStatus.UNKNOWN, "cannot read " + store.dir(), null, null, 0);
        }
        all = store.list(warnings);
        BackupManifest newest = all.isEmpty() ? null : all.getFirst();
        // a verified backup counts only while its file is there (as recorded: size; verify checks the hash)
        BackupManifest verified = all.stream()
                .filter(m -> m.verifiedOk() && store.fileIntact(m))
                .findFirst()
                .orElse(null);
        if (newest == null) {
            critical.add("no backups in " + store.dir());
        } else {
            if (!store.fileIntact(newest)) {
                critical.add("the newest backup, " + newest.name() + ", has lost its data file " + newest.file()
                        + " (missing, or not the recorded size)");
            }
            age(
                    "newest backup " + newest.name(),
                    Duration.between(newest.createdAt(), now),
                    warnAge,
                    critAge,
                    warnings,
                    critical);
            BackupManifest lastChecked = all.stream()
                    .filter(m -> m.verification() != null)
                    .findFirst()
                    .orElse(null);
            if (lastChecked != null && !lastChecked.verification().ok()) {
                critical.add("the last verified backup, " + lastChecked.name() + ", FAILED verification");
            }
            if (verified == null) {
                warnings.add("no backup has been verified (opsctl backup verify)");
            } else {
                // its age is that of the data it holds: when it was taken, not when it was last verified
                age(
                        "newest verified backup " + verified.name(),
                        Duration.between(verified.createdAt(), now),
                        verifiedWarnAge,
                        verifiedCritAge,
                        warnings,
                        critical);
            }
        }
        try {
            List<BackupStore.Leftover> leftovers = store.leftovers();
            if (!leftovers.isEmpty()) {
                warnings.add("interrupted runs left "
                        + leftovers.stream()
                                .map(BackupStore.Leftover::what)
                                .collect(java.util.stream.Collectors.joining(", "))
                        + " (opsctl backup cleanup removes them)");
            }
        } catch (IOException e) {
            warnings.add("cannot look for leftovers in " + store.dir() + ": " + e.getMessage());
        }
        CheckStatus status = CheckStatus.of(critical.size(), warnings.size());
        List<String> findings = new ArrayList<>(critical);
        findings.addAll(warnings);
        String text = findings.isEmpty()
                ? "newest backup " + Format.age(Duration.between(newest.createdAt(), now))
                        + " old, newest verified backup " + Format.age(Duration.between(verified.createdAt(), now))
                        + " old"
                : String.join("; ", findings);
        return result(
                status,
                text,
                newest == null ? null : Duration.between(newest.createdAt(), now),
                verified == null ? null : Duration.between(verified.createdAt(), now),
                all.size());
    }

    private static void age(
            String what, Duration age, Duration warn, Duration crit, List<String> warnings, List<String> critical) {
        if (age.compareTo(crit) > 0) {
            critical.add(what + " is " + Format.age(age) + " old (critical over " + Format.age(crit) + ")");
        } else if (age.compareTo(warn) > 0) {
            warnings.add(what + " is " + Format.age(age) + " old (warning over " + Format.age(warn) + ")");
        }
    }

    private static CheckResult result(CheckStatus status, String text, Duration age, Duration verifiedAge, int count) {
        Long ageSeconds = age == null ? null : age.toSeconds();
        Long verifiedSeconds = verifiedAge == null ? null : verifiedAge.toSeconds();
        return new CheckResult(
                status,
                text,
                text,
                CheckResult.perf(
                        "age",
                        ageSeconds == null ? null : ageSeconds + "s",
                        "verified_age",
                        verifiedSeconds == null ? null : verifiedSeconds + "s",
                        "backups",
                        count),
                List.of(),
                new Status(status, text, ageSeconds, verifiedSeconds, count));
    }
}
