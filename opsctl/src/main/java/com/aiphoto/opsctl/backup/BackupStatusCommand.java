package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.DurationConverter;
import com.aiphoto.opsctl.cli.Format;
import java.time.Duration;
import java.time.Instant;
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
        BackupFreshness.Report r =
                BackupFreshness.of(store.dir(), now, warnAge, critAge, verifiedWarnAge, verifiedCritAge);
        if (r.unreadable()) {
            return result(CheckStatus.UNKNOWN, "cannot read " + store.dir(), null, null, 0);
        }
        List<String> findings = r.findings();
        String text = findings.isEmpty()
                ? "newest backup " + Format.age(r.newestAge()) + " old, newest verified backup "
                        + Format.age(r.verifiedAge()) + " old"
                : String.join("; ", findings);
        return result(r.status(), text, r.newestAge(), r.verifiedAge(), r.count());
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
