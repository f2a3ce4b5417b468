package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.backup.TableChecksums.TableSum;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Takes a backup: the dump tool as a child process (no shell, password in an option file), its output
 * compressed and hashed in-process into {@code <file>.partial}, and each table's data lines digested on the way
 * ({@link DumpDigests}: the checksums describe exactly what the file holds, with no query of their own); the
 * schema version comes from the dump's snapshot ({@link DumpSnapshot}). Then the file is renamed into place
 * and the manifest written, last. Any failure (the tool's exit code, a dump cut short without its "-- Dump completed" line, a full disk,
 * a database error) removes the partial file, writes no manifest, and ends in exit 1.
 */
final class BackupCreator {
    private static final String TRAILER = "-- Dump completed";
    /** Lines the dump writes only after it has started its transaction. */
    private static final List<String> STARTED = List.of(
            "-- Table structure for table",
            "-- Temporary table structure",
            "-- Temporary view structure",
            "-- Dumping events",
            "-- Dumping routines",
            "-- Dump completed");

    private static final int HEAD_LIMIT = 1 << 20;

    private final OpsDatabase db;
    private final PrintWriter err;
    private final boolean quiet;
    private final Clock clock;

    BackupCreator(OpsDatabase db, PrintWriter err, boolean quiet, Clock clock) {
        this.db = db;
        this.err = err;
        this.quiet = quiet;
        this.clock = clock;
    }

    private record Written(long sqlSize, String sqlSha256, long size, String sha256, boolean complete) {}

    BackupManifest create(BackupStore store, String database, Compression requested, String tag) {
        if (db.settings().embedded()) {
            throw new OpsctlException(
                    ExitCode.PRECONDITION,
                    "backup needs MySQL or MariaDB (DB_HOST): the " + db.describe()
                            + " is a development store; to keep a copy, stop the server and copy that folder");
        }
        Compression compression = requested.orFallback();
        if (compression != requested) {
            warn("zstd is not available on this platform; compressing with gzip");
        }
        MysqlClients.Tool tool = MysqlClients.dump();
        Path data = null;
        Path partial = null;
        boolean kept = false;
        try (BackupStore.DirectoryLock lock = store.lock(this::note)) {
            Instant at = clock.instant(); // after any wait for the lock: the snapshot is taken from here on
            long t0 = System.nanoTime();
            String name = store.newName(database, at, tag);
            data = store.dir().resolve(name + compression.extension);
            partial = data.resolveSibling(data.getFileName() + BackupStore.PARTIAL);
            Written w;
            List<TableSum> tables;
            String schemaVersion;
            String server;
            boolean aligned;
            try (DumpSnapshot snapshot = DumpSnapshot.open(db.dataSource(), database, this::warn)) {
                DumpDigests digests = new DumpDigests();
                try (MysqlClients.Child dump =
                        MysqlClients.start(tool, db.settings(), dumpArgs(tool, database), Redirect.PIPE, store.dir())) {
                    w = write(dump.process().getInputStream(), partial, compression, snapshot, digests, database);
                    int code = dump.waitFor();
                    if (code != 0) {
                        throw new OpsctlException(
                                ExitCode.FAILED,
                                tool.path().getFileName() + " exited with code " + code + ": "
                                        + dump.lastError("no message"));
                    }
                    if (!w.complete()) {
                        throw new OpsctlException(
                                ExitCode.FAILED,
                                "the dump ended without its \"" + TRAILER + "\" line: it was cut short");
                    }
                }
                tables = digests.tables();
                schemaVersion = snapshot.schemaVersion();
                server = snapshot.serverVersion();
                aligned = snapshot.aligned();
            }
            BackupStore.fsync(partial);
            Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
            BackupManifest m = new BackupManifest(
                    name,
                    data.getFileName().toString(),
                    compression.name(),
                    at,
                    (System.nanoTime() - t0) / 1_000_000,
                    database,
                    server,
                    tool.version(),
                    schemaVersion,
                    aligned ? "aligned" : "approximate",
                    tag,
                    w.size(),
                    w.sha256(),
                    w.sqlSize(),
                    w.sqlSha256(),
                    tables,
                    TableChecksums.Method.DUMP.id,
                    null,
                    null);
            store.save(m);
            kept = true;
            return m;
        } catch (IOException | SQLException e) {
            throw new OpsctlException(
                    ExitCode.FAILED, "backup of " + database + " failed, nothing kept: " + OpsDatabase.rootCause(e), e);
        } catch (OpsctlException e) {
            throw new OpsctlException(
                    e.exitCode(), "backup of " + database + " failed, nothing kept: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsctlException(ExitCode.FAILED, "backup of " + database + " interrupted, nothing kept");
        } finally {
            if (!kept) {
                deleteQuietly(partial);
                deleteQuietly(data);
            }
        }
    }

    private static List<String> dumpArgs(MysqlClients.Tool tool, String database) {
        List<String> args = new ArrayList<>(List.of("--routines", "--triggers", "--events"));
        args.addAll(dataArgs(tool));
        args.add(database);
        return args;
    }

    /**
     * The options a backup's dump and verify's dump of the restored copy share: all that shapes the data lines
     * ({@link DumpDigests}) is here, so the two write the same rows the same way (tool defaults such as
     * {@code --extended-insert}, {@code --tz-utc} and {@code net_buffer_length} apply to both alike).
     */
    static List<String> dataArgs(MysqlClients.Tool tool) {
        List<String> args = new ArrayList<>(
                List.of("--single-transaction", "--hex-blob", "--default-character-set=utf8mb4", "--no-tablespaces"));
        if (!tool.mariadb()) {
            // Oracle's mysqldump: no GTID statements that fail on restore; no statistics query MariaDB lacks
            args.addAll(List.of("--set-gtid-purged=OFF", "--column-statistics=0"));
        }
        return args;
    }

    /**
     * Copies the dump into the partial file: SHA-256 of the SQL, compression, SHA-256 and size of what is
     * written, progress. Releases the snapshot lock as soon as the dump shows it has started its transaction.
     */
    private Written write(
            InputStream dump,
            Path partial,
            Compression compression,
            DumpSnapshot snapshot,
            DumpDigests digests,
            String database)
            throws IOException, SQLException {
        MessageDigest sqlHash = BackupStore.sha256();
        MessageDigest fileHash = BackupStore.sha256();
        BackupStore.createPrivate(partial);
        StringBuilder head = new StringBuilder();
        byte[] tail = new byte[0];
        long sqlSize = 0;
        ByteProgress progress = new ByteProgress(err, "dump of " + database, -1, quiet);
        try (OutputStream file = Files.newOutputStream(partial);
                DigestOutputStream hashed = new DigestOutputStream(new BufferedOutputStream(file, 1 << 16), fileHash);
                OutputStream out = compression.compress(hashed)) {
            byte[] buf = new byte[1 << 16];
            for (int n = dump.read(buf); n >= 0; n = dump.read(buf)) {
                if (head != null) {
                    head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    String seen = head.toString();
                    if (STARTED.stream().anyMatch(seen::contains) || seen.length() > HEAD_LIMIT) {
                        snapshot.release();
                        head = null;
                    }
                }
                sqlHash.update(buf, 0, n);
                digests.write(buf, 0, n);
                tail = lastBytes(tail, buf, n);
                out.write(buf, 0, n);
                sqlSize += n;
                progress.add(n);
            }
        } finally {
            snapshot.release();
        }
        boolean complete = new String(tail, StandardCharsets.ISO_8859_1).contains(TRAILER);
        return new Written(
                sqlSize,
                HexFormat.of().formatHex(sqlHash.digest()),
                Files.size(partial),
                HexFormat.of().formatHex(fileHash.digest()),
                complete);
    }

    /** The last 256 bytes seen, where the "-- Dump completed on ..." line must be. */
    private static byte[] lastBytes(byte[] previous, byte[] buf, int n) {
        int keep = 256;
        byte[] joined = new byte[Math.min(keep, previous.length + n)];
        int fromBuf = Math.min(n, joined.length);
        int fromPrev = joined.length - fromBuf;
        System.arraycopy(previous, previous.length - fromPrev, joined, 0, fromPrev);
        System.arraycopy(buf, n - fromBuf, joined, fromPrev, fromBuf);
        return joined;
    }

    private void note(String message) {
        if (!quiet) {
            err.println("opsctl: " + message);
        }
    }

    private void warn(String message) {
        err.println("opsctl: warning: " + message);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // reported by the failure already being thrown; a leftover .partial is listed and pruned later
            }
        }
    }
}
