package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.check.Perf;
import com.aiphoto.opsctl.cli.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Free space on the file systems of LOG_DIR, DATA_DIR and BACKUP_DIR (of the nearest existing parent when a
 * directory is not there yet). CRITICAL under DISK_MIN_FREE (where the server's readiness goes DOWN), WARNING
 * under five times that.
 */
final class DiskProbe {
    static final List<String> KEYS = List.of("logs:freeSpace", "data:freeSpace", "backups:freeSpace");
    private static final List<String> DIRS = List.of("LOG_DIR", "DATA_DIR", "BACKUP_DIR");

    private DiskProbe() {}

    static Probe probe(Settings s) {
        return new Probe("disk", KEYS, () -> {
            long crit = s.bytes("DISK_MIN_FREE");
            long warn = crit * 5;
            List<Observation> out = new ArrayList<>();
            for (int i = 0; i < KEYS.size(); i++) {
                Path dir = Path.of(s.get(DIRS.get(i)));
                String key = KEYS.get(i);
                try {
                    Path existing = dir.toAbsolutePath();
                    while (existing != null && !Files.exists(existing)) {
                        existing = existing.getParent();
                    }
                    if (existing == null) {
                        out.add(Observation.failed(key, "no part of " + dir + " exists"));
                        continue;
                    }
                    long free = Files.getFileStore(existing).getUsableSpace();
                    out.add(Observation.of(
                            key,
                            Observation.atLeast(free, warn, crit),
                            Perf.atLeast(free, "B", warn, crit).withMin(0),
                            "B",
                            Format.bytes(free) + " free for " + DIRS.get(i) + " " + dir
                                    + (existing.equals(dir.toAbsolutePath()) ? "" : " (not created yet)")));
                } catch (IOException e) {
                    out.add(Observation.failed(key, "cannot read the file system of " + dir + ": " + e.getMessage()));
                }
            }
            return out;
        });
    }
}
