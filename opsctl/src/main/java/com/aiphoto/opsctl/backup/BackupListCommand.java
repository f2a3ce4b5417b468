package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Backups, newest first: age, size, whether the file is there with its recorded size, the last verify. Reads
 * manifests and file sizes only, so it stays instant with many large backups; the SHA-256 is checked by verify
 * (and restore).
 */
@Command(name = "list", description = "List backups: age, size, checksum state, last verification.")
final class BackupListCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    /** --json. */
    record Listing(Path dir, List<Row> backups, List<String> incomplete, List<String> problems) {}

    /**
     * One backup: {@code checksum} ok (the file has its recorded size), missing or MISMATCH (another size);
     * {@code verified} never, ok or FAILED.
     */
    record Row(
            String name,
            Instant createdAt,
            long ageSeconds,
            long size,
            String checksum,
            Instant verifiedAt,
            String verified,
            String tag,
            String schemaVersion) {}

    @Override
    public Integer call() {
        PrintWriter out = out();
        BackupStore store = dir.store(settings());
        List<String> problems = new ArrayList<>();
        List<BackupManifest> all = store.list(problems);
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (BackupManifest m : all) {
            // no hashing here (seconds per file): create and verify hash; list only checks the file's size
            rows.add(new Row(
                    m.name(),
                    m.createdAt(),
                    Duration.between(m.createdAt(), now).toSeconds(),
                    m.size(),
                    store.fileIntact(m) ? "ok" : Files.exists(store.file(m)) ? "MISMATCH" : "missing",
                    m.verification() == null ? null : m.verification().at(),
                    m.verification() == null ? "never" : m.verification().ok() ? "ok" : "FAILED",
                    m.tag(),
                    m.schemaVersion()));
        }
        List<Path> incomplete = new ArrayList<>(store.partials());
        incomplete.addAll(store.orphans(all));
        if (json()) {
            out.println(Json.write(new Listing(
                    store.dir(),
                    rows,
                    incomplete.stream().map(p -> p.getFileName().toString()).toList(),
                    problems)));
            return ExitCode.OK;
        }
        out.println(
                String.format("%-44s %8s %10s %-9s %-16s %s", "NAME", "AGE", "SIZE", "CHECKSUM", "VERIFIED", "SCHEMA"));
        for (int i = 0; i < all.size(); i++) {
            BackupManifest m = all.get(i);
            Row r = rows.get(i);
            String verified = m.verification() == null
                    ? "never"
                    : r.verified() + " "
                            + Format.age(Duration.between(m.verification().at(), now)) + " ago";
            out.println(String.format(
                    "%-44s %8s %10s %-9s %-16s %s",
                    m.name(),
                    Format.age(Duration.between(m.createdAt(), now)),
                    Format.bytes(m.size()),
                    r.checksum(),
                    verified,
                    m.schemaVersion()));
        }
        incomplete.forEach(p -> out.println("incomplete: " + p.getFileName() + " (no manifest: not a usable backup)"));
        problems.forEach(p -> out.println("problem: " + p));
        out.println(Format.plural(all.size(), "backup") + " in " + store.dir());
        return ExitCode.OK;
    }
}
