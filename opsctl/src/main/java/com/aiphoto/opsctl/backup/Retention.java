package com.aiphoto.opsctl.backup;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Grandfather-father-son retention: keep the newest backup of each of the last {@code daily} days that have
 * backups, of each of the last {@code weekly} ISO weeks, of each of the last {@code monthly} months (periods in
 * UTC, like the backup names); one backup may count for several. The newest verified backup is always kept,
 * whatever its age, so a restore is never left with only unverified copies. Everything else goes.
 */
final class Retention {
    record Policy(int daily, int weekly, int monthly) {}

    /** Why a backup stays (empty: it is deleted). */
    record Decision(BackupManifest backup, List<String> reasons) {
        boolean keep() {
            return !reasons.isEmpty();
        }
    }

    private Retention() {}

    static List<Decision> decide(List<BackupManifest> backups, Policy policy) {
        List<BackupManifest> newestFirst = new ArrayList<>(backups);
        newestFirst.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        Map<BackupManifest, List<String>> reasons = new LinkedHashMap<>();
        newestFirst.forEach(b -> reasons.put(b, new ArrayList<>()));
        keepNewestPer(newestFirst, policy.daily(), "daily", b -> day(b).toString(), reasons);
        keepNewestPer(
                newestFirst,
                policy.weekly(),
                "weekly",
                b -> day(b).get(IsoFields.WEEK_BASED_YEAR) + "-W"
                        + String.format("%02d", day(b).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
                reasons);
        keepNewestPer(
                newestFirst,
                policy.monthly(),
                "monthly",
                b -> YearMonth.from(day(b)).toString(),
                reasons);
        newestFirst.stream()
                .filter(BackupManifest::verifiedOk)
                .findFirst()
                .ifPresent(b -> reasons.get(b).add("newest verified"));
        return newestFirst.stream()
                .map(b -> new Decision(b, List.copyOf(reasons.get(b))))
                .toList();
    }

    private static void keepNewestPer(
            List<BackupManifest> newestFirst,
            int periods,
            String label,
            Function<BackupManifest, String> period,
            Map<BackupManifest, List<String>> reasons) {
        Set<String> seen = new HashSet<>();
        for (BackupManifest b : newestFirst) {
            if (seen.size() >= periods) {
                return;
            }
            String p = period.apply(b);
            if (seen.add(p)) {
                reasons.get(b).add(label + " " + p);
            }
        }
    }

    private static LocalDate day(BackupManifest b) {
        return LocalDate.ofInstant(b.createdAt(), ZoneOffset.UTC);
    }
}
