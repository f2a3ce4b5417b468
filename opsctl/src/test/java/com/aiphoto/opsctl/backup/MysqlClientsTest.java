package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DatabaseSettings;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How opsctl runs the MySQL/MariaDB client tools: the command line, and stdbuf for output read through a pipe. */
class MysqlClientsTest {
    private static final Path STDBUF = Path.of("/usr/bin/stdbuf");

    @Test
    void aPipedToolRunsUnderStdbufWithAOneMebibyteBufferAndTheOptionFileFirst() {
        MysqlClients.Tool tool = new MysqlClients.Tool(Path.of("/usr/bin/mariadb-dump"), true, "mariadb-dump 10.11");
        Path options = Path.of("/backups/.client-1-2.cnf");
        assertEquals(
                List.of(
                        "/usr/bin/stdbuf",
                        "-o1M",
                        "/usr/bin/mariadb-dump",
                        "--defaults-file=/backups/.client-1-2.cnf",
                        "--single-transaction",
                        "db"),
                MysqlClients.command(tool, options, List.of("--single-transaction", "db"), Optional.of(STDBUF)));
        assertEquals(
                List.of("/usr/bin/mariadb-dump", "--defaults-file=/backups/.client-1-2.cnf", "db"),
                MysqlClients.command(tool, options, List.of("db"), Optional.empty()));
    }

    /**
     * The child really gets the buffer (stdbuf tells the tool through {@code _STDBUF_O}) when opsctl reads its output
     * through a pipe, and not when its output goes elsewhere; the option file is still its first argument.
     */
    @Test
    void theChildSeesTheStdbufSettingOnlyWhenItsOutputIsPiped(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(STDBUF), "coreutils' stdbuf is not installed here");
        Path tool = dir.resolve("fake-dump");
        Files.writeString(tool, "#!/bin/sh\necho \"buffer=${_STDBUF_O:-none} first=$1\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        DatabaseSettings db = DatabaseSettings.from(Settings.of(Map.of(
                "DB_HOST", "127.0.0.1", "DB_PORT", "3306", "DB_USER", "root", "DB_PASSWORD", "", "DB_NAME", "x")));
        MysqlClients.Tool fake = new MysqlClients.Tool(tool, true, "fake");

        String piped;
        try (MysqlClients.Child c = MysqlClients.start(fake, db, List.of(), Redirect.PIPE, dir)) {
            piped = new String(c.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, c.waitFor());
        }
        assertEquals("buffer=1048576 first=--defaults-file=", piped.replaceAll("=/\\S+", "="));

        Path out = dir.resolve("out.txt");
        try (MysqlClients.Child c = MysqlClients.start(fake, db, List.of(), Redirect.to(out.toFile()), dir)) {
            assertEquals(0, c.waitFor());
        }
        assertEquals(
                "buffer=none first=--defaults-file=",
                Files.readString(out).strip().replaceAll("=/\\S+", "="));
    }
}
