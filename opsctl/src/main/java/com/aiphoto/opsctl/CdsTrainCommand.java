package com.aiphoto.opsctl;

import com.aiphoto.opsctl.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * What the launcher runs once per build, before the first real command, so that the class-data archive the
 * JVM records on exit holds what the commands run from cron load (picocli's tree, settings, the pool, Flyway,
 * the engine, the MySQL driver, Jackson, the check rendering), not just what the first command happened to
 * need (--version loads almost nothing, and the archive is not re-recorded after). Read-only and local: db
 * status and a migrate dry run on a throwaway embedded database, then db status against a port that refuses,
 * for the driver's connect path, and health and logs the same way. Prints nothing; leaves nothing behind.
 */
@Command(name = "cds-train", hidden = true, description = "Load what the usual commands load (for the launcher).")
final class CdsTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        Path scratch = Files.createTempDirectory("opsctl-cds-");
        try (PrintWriter sink = new PrintWriter(Writer.nullWriter())) {
            Map<String, String> embedded = Map.of("DATA_DIR", scratch.toString(), "APP_ENV", "development");
            new Opsctl(embedded, List.of()).run(sink, sink, "db", "status", "--json");
            new Opsctl(embedded, List.of()).run(sink, sink, "db", "migrate", "--dry-run", "--json");
            Map<String, String> refusing = Map.of(
                    "DB_HOST", "127.0.0.1", "DB_PORT", "1", "DB_CONNECT_TIMEOUT", "1s", "APP_ENV", "development");
            new Opsctl(refusing, List.of()).run(sink, sink, "db", "status");
            // health's probes (HTTP client, JSON, certificates, disk, backups) against ports that refuse
            Map<String, String> nothing = new java.util.HashMap<>(refusing);
            nothing.putAll(Map.of(
                    "PORT", "1",
                    "ADMIN_PORT", "1",
                    "REDIS_HOST", "127.0.0.1",
                    "REDIS_PORT", "1",
                    "LOG_DIR", scratch.toString(),
                    "BACKUP_DIR", scratch.toString(),
                    "CERT_DIR", scratch.toString()));
            new Opsctl(nothing, List.of()).run(sink, sink, "health", "--json", "--timeout", "2s");
            new Opsctl(nothing, List.of()).run(sink, sink, "health", "--nagios", "--timeout", "2s");
            new Opsctl(nothing, List.of()).run(sink, sink, "logs", "--dir", scratch.toString());
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return ExitCode.OK;
    }
}
