package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune (grandfather-father-son) and status over generated sets of dated backups; no database needed. */
class BackupRetentionTest {
    @TempDir
    Path dir;

    private static BackupManifest backup(Instant at, boolean verified) {
        String name = "app-" + at.toString().replace(":", "");
        return new BackupManifest(
                name,
                name + ".sql.zst",
                "zstd",
                at,
                10,
                "app",
                "test",
                "test",
                "1",
                "aligned",
                null,
                3,
                "00",
                3,
                "00",
                List.of(),
                null,
                verified ? new BackupManifest.Verification(at.plusSeconds(600), true, List.of(), 5) : null,
                null);
    }

    /** One backup a day at 02:00 from 2024-09-01 to 2025-03-15, a second at 14:00 on the last day. */
    private List<BackupManifest> generate(LocalDate verifiedDay) throws IOException {
        BackupStore store = new BackupStore(dir);
        List<BackupManifest> all = new ArrayList<>();
        for (LocalDate d = LocalDate.parse("2024-09-01");
                !d.isAfter(LocalDate.parse("2025-03-15"));
                d = d.plusDays(1)) {
            all.add(backup(d.atTime(2, 0).toInstant(ZoneOffset.UTC), d.equals(verifiedDay)));
        }
        all.add(backup(Instant.parse("2025-03-15T14:00:00Z"), false));
        for (BackupManifest m : all) {
            Files.writeString(dir.resolve(m.file()), "sql");
            store.save(m);
        }
        return all;
    }

    private Set<String> remaining() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(4, 14) + (n.contains("T14") ? " 14:00" : ""))
                    .toList());
        }
    }

    @Test
    void pruneKeepsExactlyWhatThePolicySays() throws IOException {
        generate(LocalDate.parse("2025-02-01"));
        Cli.Result r = Cli.run(Map.of("BACKUP_DIR", dir.toString()), "backup", "prune", "--yes");
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertEquals(
                new TreeSet<>(List.of(
                        // daily: the newest of each of the last 7 days with backups
                        "2025-03-15 14:00",
                        "2025-03-14",
                        "2025-03-13",
                        "2025-03-12",
                        "2025-03-11",
                        "2025-03-10",
                        "2025-03-09",
                        // weekly: W11 and W10 are already kept; the newest of W09 (Sun 03-02) and W08 (Sun 02-23)
                        "2025-03-02",
                        "2025-02-23",
                        // monthly: March is kept; the newest of each of the 5 months before
                        "2025-02-28",
                        "2025-01-31",
                        "2024-12-31",
                        "2024-11-30",
                        "2024-10-31",
                        // and the newest verified backup, whatever its age
                        "2025-02-01")),
                remaining());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    15, files.filter(p -> p.toString().endsWith(".sql.zst")).count(), "data files go too");
        }
        assertTrue(r.out().contains("keep    app-2025-02-01T020000Z  (newest verified)"), r.out());
    }

    @Test
    void dryRunDeletesNothingAndPruneNeedsYesWithoutATerminal() throws IOException {
        int all = generate(null).size();
        Cli.Result dry = Cli.run(
                Map.of("BACKUP_DIR", dir.toString()),
                "backup",
                "prune",
                "--dry-run",
                "--keep-daily",
                "2",
                "--keep-weekly",
                "0",
                "--keep-monthly",
                "0");
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        assertTrue(dry.out().contains("dry run: would delete " + (all - 2) + " backups"), dry.out());
        assertEquals(all, remaining().size());
        Cli.Result unconfirmed = Cli.run(Map.of("BACKUP_DIR", dir.toString()), "backup", "prune");
        assertEquals(ExitCode.PRECONDITION, unconfirmed.code(), unconfirmed.all());
        assertEquals(all, remaining().size());
    }

    @Test
    void anEmptyPolicyIsRefusedAndDeletesNothing() throws IOException {
        int all = generate(null).size();
        Cli.Result r = Cli.run(
                Map.of("BACKUP_DIR", dir.toString()),
                "backup",
                "prune",
                "--yes",
                "--keep-daily",
                "0",
                "--keep-weekly",
                "0",
                "--keep-monthly",
                "0");
        assertEquals(ExitCode.USAGE, r.code(), r.all());
        assertTrue(r.err().contains("that keeps nothing"), r.err());
        assertEquals(all, remaining().size());
    }

    @Test
    void statusWarnsAndGoesCriticalWithAge() throws IOException {
        BackupStore store = new BackupStore(dir);
        Map<String, String> env = Map.of("BACKUP_DIR", dir.toString());
        Cli.Result none = Cli.run(env, "backup", "status", "--nagios");
        assertEquals(CheckStatus.CRITICAL.exitCode, none.code());
        assertTrue(none.out().startsWith("BACKUP CRITICAL: no backups in "), none.out());

        Instant now = Instant.now();
        save(store, backup(now.minus(Duration.ofHours(30)), true));
        Cli.Result old = Cli.run(env, "backup", "status");
        assertEquals(CheckStatus.WARNING.exitCode, old.code(), old.all());
        assertTrue(old.out().contains("is 1d 6h old (warning over 1d 2h)"), old.out());

        save(store, backup(now.minus(Duration.ofHours(1)), false));
        Cli.Result fresh = Cli.run(env, "backup", "status", "--json");
        assertEquals(CheckStatus.OK.exitCode, fresh.code(), fresh.all());
        assertEquals("OK", (Cli.json(fresh.out())).get("status"));

        Cli.Result strict = Cli.run(env, "backup", "status", "--verified-crit-age", "1d", "--nagios");
        assertEquals(CheckStatus.CRITICAL.exitCode, strict.code());
        assertTrue(strict.out().contains("| age=3600s verified_age="), strict.out());
    }

    @Test
    void statusIsCriticalWhenTheNewestBackupLostItsFileAndAgesVerifiedBackupsByWhenTheyWereTaken() throws IOException {
        BackupStore store = new BackupStore(dir);
        Map<String, String> env = Map.of("BACKUP_DIR", dir.toString());
        Instant now = Instant.now();
        // taken 20 days ago, verified an hour ago: the data it holds is 20 days old (critical over 15d)
        BackupManifest old = backup(now.minus(Duration.ofDays(20)), false)
                .withVerification(new BackupManifest.Verification(now.minus(Duration.ofHours(1)), true, List.of(), 5));
        save(store, old);
        BackupManifest newest = backup(now.minus(Duration.ofHours(1)), false);
        save(store, newest);
        Cli.Result r = Cli.run(env, "backup", "status");
        assertEquals(CheckStatus.CRITICAL.exitCode, r.code(), r.all());
        assertTrue(r.out().contains("newest verified backup " + old.name() + " is 20d 0h old"), r.out());

        save(store, backup(now.minus(Duration.ofHours(2)), true));
        Cli.Result ok = Cli.run(env, "backup", "status");
        assertEquals(CheckStatus.OK.exitCode, ok.code(), ok.all());

        Files.delete(store.file(newest));
        Cli.Result gone = Cli.run(env, "backup", "status");
        assertEquals(CheckStatus.CRITICAL.exitCode, gone.code(), gone.all());
        assertTrue(gone.out().contains("the newest backup, " + newest.name() + ", has lost its data file"), gone.out());
    }

    private static void save(BackupStore store, BackupManifest m) throws IOException {
        Files.writeString(store.file(m), "sql"); // the size backup() records
        store.save(m);
    }
}
