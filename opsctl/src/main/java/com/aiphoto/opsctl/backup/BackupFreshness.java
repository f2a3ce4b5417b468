package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How fresh the backups in a directory are: the age of the newest backup and of the newest verified one (both by
 * when they were taken) against thresholds, and what is wrong (critical findings, warnings). Shared by
 * {@code backup status} and {@code health}; reads the directory only.
 */
public final class BackupFreshness {
    public static final Duration WARN_AGE = Duration.ofHours(26);
    public static final Duration CRIT_AGE = Duration.ofHours(50);
    public static final Duration VERIFIED_WARN_AGE = Duration.ofDays(8);
    public static final Duration VERIFIED_CRIT_AGE = Duration.ofDays(15);

    /**
     * @param unreadable the directory exists but cannot be read (nothing else is known then)
     * @param newestAge null when there is no backup
     * @param verifiedAge null when no backup with its file intact has been verified
     */
    public record Report(
            Path dir,
            boolean unreadable,
            Duration newestAge,
            Duration verifiedAge,
            int count,
            List<String> critical,
            List<String> warnings,
            List<String> newestProblems,
            List<String> verifiedProblems) {
        public CheckStatus status() {
            return unreadable ? CheckStatus.UNKNOWN : CheckStatus.of(critical.size(), warnings.size());
        }

        /** Every finding, critical ones first; empty when all is well. */
        public List<String> findings() {
            List<String> all = new ArrayList<>(critical);
            all.addAll(warnings);
            return all;
        }
    }

    private BackupFreshness() {}

    public static Report of(
            Path dir, Instant now, Duration warnAge, Duration critAge, Duration verifiedWarn, Duration verifiedCrit) {
        BackupStore store = new BackupStore(dir);
        List<String> critical = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (Files.exists(store.dir()) && !Files.isReadable(store.dir())) {
            return new Report(dir, true, null, null, 0, List.of("cannot read " + dir), List.of(), List.of(), List.of());
        }
        List<BackupManifest> all = store.list(warnings);
        BackupManifest newest = all.isEmpty() ? null : all.getFirst();
        // a verified backup counts only while its file is there (as recorded: size; verify checks the hash)
        BackupManifest verified = all.stream()
                .filter(m -> m.verifiedOk() && store.fileIntact(m))
                .findFirst()
                .orElse(null);
        // the problems of each age on its own, for a health check per age
        List<String> newestProblems = new ArrayList<>();
        List<String> verifiedProblems = new ArrayList<>();
        if (newest == null) {
            critical.add("no backups in " + store.dir());
            newestProblems.add(critical.getLast());
        } else {
            if (!store.fileIntact(newest)) {
                critical.add("the newest backup, " + newest.name() + ", has lost its data file " + newest.file()
                        + " (missing, or not the recorded size)");
                newestProblems.add(critical.getLast());
            }
            age(
                    "newest backup " + newest.name(),
                    Duration.between(newest.createdAt(), now),
                    warnAge,
                    critAge,
                    warnings,
                    critical,
                    newestProblems);
            BackupManifest lastChecked = all.stream()
                    .filter(m -> m.verification() != null)
                    .findFirst()
                    .orElse(null);
            if (lastChecked != null && !lastChecked.verification().ok()) {
                critical.add("the last verified backup, " + lastChecked.name() + ", FAILED verification");
                verifiedProblems.add(critical.getLast());
            }
            if (verified == null) {
                warnings.add("no backup has been verified (opsctl backup verify)");
                verifiedProblems.add(warnings.getLast());
            } else {
                // its age is that of the data it holds: when it was taken, not when it was last verified
                age(
                        "newest verified backup " + verified.name(),
                        Duration.between(verified.createdAt(), now),
                        verifiedWarn,
                        verifiedCrit,
                        warnings,
                        critical,
                        verifiedProblems);
            }
        }
        try {
            List<BackupStore.Leftover> leftovers = store.leftovers();
            if (!leftovers.isEmpty()) {
                warnings.add("interrupted runs left "
                        + leftovers.stream().map(BackupStore.Leftover::what).collect(Collectors.joining(", "))
                        + " (opsctl backup cleanup removes them)");
            }
        } catch (IOException e) {
            warnings.add("cannot look for leftovers in " + store.dir() + ": " + e.getMessage());
        }
        return new Report(
                dir,
                false,
                newest == null ? null : Duration.between(newest.createdAt(), now),
                verified == null ? null : Duration.between(verified.createdAt(), now),
                all.size(),
                List.copyOf(critical),
                List.copyOf(warnings),
                List.copyOf(newestProblems),
                List.copyOf(verifiedProblems));
    }

    private static void age(
            String what,
            Duration age,
            Duration warn,
            Duration crit,
            List<String> warnings,
            List<String> critical,
            List<String> problems) {
        if (age.compareTo(crit) > 0) {
            critical.add(what + " is " + Format.age(age) + " old (critical over " + Format.age(crit) + ")");
            problems.add(critical.getLast());
        } else if (age.compareTo(warn) > 0) {
            warnings.add(what + " is " + Format.age(age) + " old (warning over " + Format.age(warn) + ")");
            problems.add(warnings.getLast());
        }
    }
}
