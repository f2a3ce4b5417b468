package com.aiphoto.opsctl.cli;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.Jdbc;
import java.time.Clock;
import java.time.Duration;

/** The audit log as opsctl writes it: over the command's database, masking the configured secrets. */
public final class Audits {
    private Audits() {}

    public static AuditLog of(OpsDatabase db, Settings settings) {
        return new AuditLog(new Jdbc(db.dataSource(), Duration.ZERO), Clock.systemUTC(), Redactor.of(settings));
    }
}
