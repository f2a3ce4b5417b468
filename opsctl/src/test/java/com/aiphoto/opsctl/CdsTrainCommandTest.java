package com.aiphoto.opsctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run the launcher records the class-data archive on loads what db status and migrate load (so they start
 * from the archive), prints nothing and leaves nothing behind.
 */
class CdsTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainingLoadsWhatTheDbCommandsLoadQuietly() throws Exception {
        Path log = dir.resolve("classes.txt");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "--sun-misc-unsafe-memory-access=allow",
                        "-Djava.io.tmpdir=" + tmp,
                        "-Xlog:class+load=info:file=" + log,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Opsctl.class.getName(),
                        "cds-train")
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> !List.of("PATH", "HOME", "LANG").contains(k));
        pb.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err.txt")));
        assertEquals("", Files.readString(dir.resolve("out.txt")));
        assertEquals("", Files.readString(dir.resolve("err.txt")));
        String loaded = Files.readString(log);
        for (String cls : List.of(
                "org.flywaydb.core.Flyway ",
                "com.zaxxer.hikari.HikariDataSource ",
                "com.mysql.cj.jdbc.ConnectionImpl ",
                "com.fasterxml.jackson.databind.ObjectMapper ",
                "com.aiphoto.core.db.Migrations ",
                "com.aiphoto.opsctl.db.DbStatusCommand ")) {
            assertTrue(loaded.contains(cls), cls + "not loaded");
        }
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.forEach(left::add);
        }
        assertEquals(List.of(), left, "scratch files left");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(
                    List.of("classes.txt", "err.txt", "out.txt", "tmp"),
                    s.map(f -> f.getFileName().toString()).sorted().toList(),
                    "nothing written to the working dir");
        }
    }
}
