package com.aiphoto.opsctl.backup;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Backups, newest first: age, size, whether the file still has its recorded hash, the last verify. */
@Command(name = "list", description = "List backups: age, size, checksum state, last verification.")
final class BackupListCommand extends OpsCommand {
    @Mixin
    BackupDirOption dir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        BackupStore store = dir.store(settings());
        List<String> problems = new ArrayList<>();
        List<BackupManifest> all = store.list(problems);
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BackupManifest m : all) {
            List<String> file = BackupVerifier.fileProblems(store, m);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", m.name());
            r.put("createdAt", m.createdAt().toString());
            r.put("ageSeconds", Duration.between(m.createdAt(), now).toSeconds());
            r.put("size", m.size());
            r.put("checksum", file.isEmpty() ? "ok" : file.getFirst().endsWith("is missing") ? "missing" : "MISMATCH");
            r.put("verifiedAt", m.verification() == null ? null : m.verification().at().toString());
            r.put("verified", m.verification() == null ? "never" : m.verification().ok() ? "ok" : "FAILED");
            r.put("tag", m.tag());
            r.put("schemaVersion", m.schemaVersion());
            rows.add(r);
        }
        List<Path> incomplete = new ArrayList<>(store.partials());
        incomplete.addAll(store.orphans(all));
        if (json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dir", store.dir().toString());
            doc.put("backups", rows);
            doc.put("incomplete", incomplete.stream().map(p -> p.getFileName().toString()).toList());
            doc.put("problems", problems);
            out.println(Json.write(doc));
            return ExitCode.OK;
        }
        out.println(String.format("%-44s %8s %10s %-9s %-16s %s", "NAME", "AGE", "SIZE", "CHECKSUM", "VERIFIED", "SCHEMA"));
        for (int i = 0; i < all.size(); i++) {
            BackupManifest m = all.get(i);
            Map<String, Object> r = rows.get(i);
            String verified = m.verification() == null ? "never" : r.get("verified") + " "
                    + Format.age(Duration.between(m.verification().at(), now)) + " ago";
            out.println(String.format("%-44s %8s %10s %-9s %-16s %s", m.name(),
                    Format.age(Duration.between(m.createdAt(), now)), Format.bytes(m.size()), r.get("checksum"),
                    verified, m.schemaVersion()));
        }
        incomplete.forEach(p -> out.println("incomplete: " + p.getFileName() + " (no manifest: not a usable backup)"));
        problems.forEach(p -> out.println("problem: " + p));
        out.println(Format.plural(all.size(), "backup") + " in " + store.dir());
        return ExitCode.OK;
    }
}
