package com.aiphoto.opsctl.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aiphoto.opsctl.backup.TableChecksums.TableSum;
import com.aiphoto.opsctl.cli.JsonParser;

/**
 * {@code <name>.json} beside a backup's data file, written last: a data file without one is not a backup.
 * {@code sha256}/{@code size} describe the file as written; {@code sqlSha256}/{@code sqlSize} the SQL inside.
 * {@code snapshot} is "aligned" when the table checksums come from the very snapshot the dump read, else
 * "approximate" (see README, backup method). {@code verification} and {@code upload} are added later.
 */
record BackupManifest(String name, String file, String compression, Instant createdAt, long durationMs,
                      String database, String server, String dumpTool, String schemaVersion, String snapshot,
                      String tag, long size, String sha256, long sqlSize, String sqlSha256, List<TableSum> tables,
                      Verification verification, Upload upload) {
    static final int FORMAT = 1;

    /** The last verify: when, whether it passed, what differed, which scratch database it used. */
    record Verification(Instant at, boolean ok, List<String> problems, long durationMs) {
    }

    /** Where --upload put the pair, and that the object read back had the file's hash. */
    record Upload(String bucket, String key, Instant at) {
    }

    BackupManifest withVerification(Verification v) {
        return new BackupManifest(name, file, compression, createdAt, durationMs, database, server, dumpTool,
                schemaVersion, snapshot, tag, size, sha256, sqlSize, sqlSha256, tables, v, upload);
    }

    BackupManifest withUpload(Upload u) {
        return new BackupManifest(name, file, compression, createdAt, durationMs, database, server, dumpTool,
                schemaVersion, snapshot, tag, size, sha256, sqlSize, sqlSha256, tables, verification, u);
    }

    boolean verifiedOk() {
        return verification != null && verification.ok();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("name", name);
        m.put("file", file);
        m.put("compression", compression);
        m.put("createdAt", createdAt.toString());
        m.put("durationMs", durationMs);
        m.put("database", database);
        m.put("server", server);
        m.put("dumpTool", dumpTool);
        m.put("schemaVersion", schemaVersion);
        m.put("snapshot", snapshot);
        m.put("tag", tag);
        m.put("size", size);
        m.put("sha256", sha256);
        m.put("sqlSize", sqlSize);
        m.put("sqlSha256", sqlSha256);
        List<Object> t = new ArrayList<>();
        for (TableSum s : tables) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", s.table());
            tm.put("rows", s.rows());
            tm.put("checksum", s.checksum());
            t.add(tm);
        }
        m.put("tables", t);
        if (verification != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("at", verification.at().toString());
            v.put("ok", verification.ok());
            v.put("problems", verification.problems());
            v.put("durationMs", verification.durationMs());
            m.put("verification", v);
        } else {
            m.put("verification", null);
        }
        m.put("upload", upload == null ? null
                : Map.of("bucket", upload.bucket(), "key", upload.key(), "at", upload.at().toString()));
        return m;
    }

    static BackupManifest fromJson(String json) {
        Map<?, ?> m = (Map<?, ?>) JsonParser.parse(json);
        if (!(m.get("format") instanceof Number n) || n.intValue() != FORMAT) {
            throw new IllegalArgumentException("unknown manifest format " + m.get("format"));
        }
        List<TableSum> tables = new ArrayList<>();
        for (Object o : (List<?>) m.get("tables")) {
            Map<?, ?> t = (Map<?, ?>) o;
            tables.add(new TableSum(str(t, "name"), num(t, "rows"), str(t, "checksum")));
        }
        Verification v = null;
        if (m.get("verification") instanceof Map<?, ?> vm) {
            v = new Verification(Instant.parse(str(vm, "at")), Boolean.TRUE.equals(vm.get("ok")),
                    ((List<?>) vm.get("problems")).stream().map(String::valueOf).toList(), num(vm, "durationMs"));
        }
        Upload u = null;
        if (m.get("upload") instanceof Map<?, ?> um) {
            u = new Upload(str(um, "bucket"), str(um, "key"), Instant.parse(str(um, "at")));
        }
        return new BackupManifest(str(m, "name"), str(m, "file"), str(m, "compression"),
                Instant.parse(str(m, "createdAt")), num(m, "durationMs"), str(m, "database"), str(m, "server"),
                str(m, "dumpTool"), str(m, "schemaVersion"), str(m, "snapshot"), (String) m.get("tag"),
                num(m, "size"), str(m, "sha256"), num(m, "sqlSize"), str(m, "sqlSha256"), List.copyOf(tables), v, u);
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("manifest field " + key + " missing");
        }
        return s;
    }

    private static long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("manifest field " + key + " missing");
        }
        return n.longValue();
    }
}
