package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.backup.BackupFreshness;
import com.aiphoto.opsctl.check.Perf;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.health.Observation.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The age of the newest backup and of the newest verified one, with {@code backup status}'s default thresholds
 * (it computes them the same way). No BACKUP_DIR at all is skipped outside production and a failure in it.
 */
final class BackupProbe {
    static final String AGE = "backup:age";
    static final String VERIFIED = "backup:verifiedAge";

    private BackupProbe() {}

    static Probe probe(Settings s) {
        return new Probe("backups", List.of(AGE, VERIFIED), () -> {
            Path dir = Path.of(s.get("BACKUP_DIR"));
            if (!Files.exists(dir)) {
                String why = "no BACKUP_DIR " + dir + " (opsctl backup create makes it)";
                return s.isProduction()
                        ? List.of(Observation.failed(AGE, why), Observation.failed(VERIFIED, why))
                        : List.of(Observation.skipped(AGE, why), Observation.skipped(VERIFIED, why));
            }
            BackupFreshness.Report r = BackupFreshness.of(
                    dir,
                    Instant.now(),
                    BackupFreshness.WARN_AGE,
                    BackupFreshness.CRIT_AGE,
                    BackupFreshness.VERIFIED_WARN_AGE,
                    BackupFreshness.VERIFIED_CRIT_AGE);
            if (r.unreadable()) {
                return List.of(
                        Observation.failed(AGE, "cannot read " + dir),
                        Observation.failed(VERIFIED, "cannot read " + dir));
            }
            return List.of(
                    age(
                            AGE,
                            "newest backup",
                            r.newestAge(),
                            r.newestProblems(),
                            r,
                            BackupFreshness.WARN_AGE,
                            BackupFreshness.CRIT_AGE),
                    age(
                            VERIFIED,
                            "newest verified backup",
                            r.verifiedAge(),
                            r.verifiedProblems(),
                            r,
                            BackupFreshness.VERIFIED_WARN_AGE,
                            BackupFreshness.VERIFIED_CRIT_AGE));
        });
    }

    private static Observation age(
            String key,
            String what,
            Duration age,
            List<String> problems,
            BackupFreshness.Report r,
            Duration warn,
            Duration crit) {
        if (age == null && problems.isEmpty()) {
            // no backup at all: the newest one's finding says so
            return Observation.failed(key, "no " + what + ": " + String.join("; ", r.critical()));
        }
        Perf perf = age == null ? null : Perf.upTo(age.toSeconds(), "s", warn.toSeconds(), crit.toSeconds());
        State state = problems.stream().anyMatch(r.critical()::contains)
                ? State.FAIL
                : problems.isEmpty() ? State.PASS : State.WARN;
        String text = problems.isEmpty() ? what + " " + Format.age(age) + " old" : String.join("; ", problems);
        return Observation.of(key, state, perf, "s", text);
    }
}
