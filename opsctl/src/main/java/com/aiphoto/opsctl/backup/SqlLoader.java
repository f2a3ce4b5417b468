package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsDatabase;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Streams a backup into a database through the mariadb/mysql client (the same parser that restores a dump by
 * hand, DELIMITER blocks included), decompressing in-process; progress is the share of the SQL loaded.
 */
final class SqlLoader {
    private SqlLoader() {}

    /**
     * Returns the SHA-256 of the SQL in the file, to compare with the manifest's. {@code currentDefiner}:
     * objects are created with the loading account as definer (see {@link DefinerRewriter}).
     */
    static String load(
            OpsDatabase db,
            Path file,
            Compression compression,
            long sqlSize,
            String database,
            boolean currentDefiner,
            PrintWriter err,
            boolean quiet)
            throws IOException, InterruptedException {
        MysqlClients.Tool client = MysqlClients.client();
        MessageDigest sql = BackupStore.sha256();
        // the SQL's bytes and rate, what the server works through (the compressed file is ~1/3 of it)
        ByteProgress progress = new ByteProgress(err, "restore into " + database + " (SQL)", sqlSize, quiet);
        try (MysqlClients.Child mysql = MysqlClients.start(
                client,
                db.settings(),
                List.of("--default-character-set=utf8mb4", "--database=" + database),
                Redirect.DISCARD,
                file.toAbsolutePath().getParent())) {
            try (InputStream in = compression.decompress(Files.newInputStream(file));
                    OutputStream stdin = currentDefiner
                            ? new DefinerRewriter(mysql.process().getOutputStream())
                            : mysql.process().getOutputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    sql.update(buf, 0, n);
                    stdin.write(buf, 0, n);
                    progress.add(n);
                }
            } catch (IOException e) {
                // a client that stopped on an error closes its stdin just before it exits: give it a moment
                if (!mysql.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw e;
                }
                // the client stopped reading (broken pipe): its exit code and message below say why
            }
            int code = mysql.waitFor();
            if (code != 0) {
                String error = mysql.lastError("no message");
                throw new OpsctlException(
                        ExitCode.FAILED,
                        "loading into " + database + " failed: "
                                + client.path().getFileName() + " exited with code " + code + ": " + error
                                + (error.contains("ERROR 1227")
                                        ? " (objects in the backup name another account as their"
                                                + " DEFINER: restore as an account with SUPER or SET USER)"
                                        : ""));
            }
        }
        return HexFormat.of().formatHex(sql.digest());
    }
}
