package com.aiphoto.opsctl.backup;

import com.aiphoto.core.config.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --dir for the backup commands: the backup directory, BACKUP_DIR by default. */
final class BackupDirOption {
    @Option(names = "--dir", paramLabel = "DIR", description = "Backup directory (default: BACKUP_DIR).")
    Path dir;

    BackupStore store(Settings settings) {
        return new BackupStore(dir != null ? dir : Path.of(settings.get("BACKUP_DIR")));
    }
}
