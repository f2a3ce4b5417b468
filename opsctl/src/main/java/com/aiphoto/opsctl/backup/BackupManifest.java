package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.backup.TableChecksums.TableSum;
import com.aiphoto.opsctl.cli.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code <name>.json} beside a backup's data file, written last: a data file without one is not a backup.
 * {@code sha256}/{@code size} describe the file as written; {@code sqlSha256}/{@code sqlSize} the SQL inside.
 * {@code snapshot} is "aligned" when the schema version (and, in row-md5 manifests, the table checksums) come
 * from the very snapshot the dump read, else "approximate" (see README, backup method); {@code checksums} names
 * the checksums' method ({@link TableChecksums.Method}, absent in the first format; dump-sha256-v1 checksums are
 * taken from the dump itself, and rows -1 means not counted). {@code verification} and {@code upload} are added later.
 * Read and written by {@link Json}: the field names and order below are the file format (format 1).
 */
@JsonPropertyOrder("format")
@JsonIgnoreProperties(value = "format", allowGetters = true)
record BackupManifest(
        String name,
        String file,
        String compression,
        Instant createdAt,
        long durationMs,
        String database,
        String server,
        String dumpTool,
        String schemaVersion,
        String snapshot,
        String tag,
        long size,
        String sha256,
        long sqlSize,
        String sqlSha256,
        List<TableSum> tables,
        String checksums,
        Verification verification,
        Upload upload) {
    static final int FORMAT = 1;

    /** The last verify: when, whether it passed, what differed, which scratch database it used. */
    record Verification(Instant at, boolean ok, List<String> problems, long durationMs) {}

    /** Where --upload put the pair, and that the object read back had the file's hash. */
    record Upload(String bucket, String key, Instant at) {}

    BackupManifest withVerification(Verification v) {
        return new BackupManifest(
                name,
                file,
                compression,
                createdAt,
                durationMs,
                database,
                server,
                dumpTool,
                schemaVersion,
                snapshot,
                tag,
                size,
                sha256,
                sqlSize,
                sqlSha256,
                tables,
                checksums,
                v,
                upload);
    }

    BackupManifest withUpload(Upload u) {
        return new BackupManifest(
                name,
                file,
                compression,
                createdAt,
                durationMs,
                database,
                server,
                dumpTool,
                schemaVersion,
                snapshot,
                tag,
                size,
                sha256,
                sqlSize,
                sqlSha256,
                tables,
                checksums,
                verification,
                u);
    }

    /** How the table checksums were computed ({@code checksums}; absent in manifests of the first format). */
    TableChecksums.Method checksumMethod() {
        return TableChecksums.Method.of(checksums);
    }

    boolean verifiedOk() {
        return verification != null && verification.ok();
    }

    /** The format number, written first so a reader can refuse a format it does not know. */
    @JsonProperty("format")
    int format() {
        return FORMAT;
    }

    /** Parses a manifest; IllegalArgumentException naming what is wrong (unknown format, missing field). */
    static BackupManifest fromJson(String json) {
        JsonNode node = Json.read(json);
        if (!node.path("format").isInt() || node.path("format").intValue() != FORMAT) {
            throw new IllegalArgumentException("unknown manifest format " + node.path("format"));
        }
        BackupManifest m = Json.bind(node, BackupManifest.class);
        m.checksumMethod(); // a method this build does not know is refused here, by name
        for (String field : List.of(
                "name",
                "file",
                "compression",
                "createdAt",
                "database",
                "server",
                "dumpTool",
                "schemaVersion",
                "snapshot",
                "sha256",
                "sqlSha256",
                "tables")) {
            if (!node.hasNonNull(field)) {
                throw new IllegalArgumentException("manifest field " + field + " missing");
            }
        }
        return m;
    }
}
