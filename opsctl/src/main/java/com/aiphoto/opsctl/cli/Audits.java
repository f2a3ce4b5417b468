package com.aiphoto.opsctl.cli;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import java.time.Clock;
import java.time.Duration;

/** The audit log as opsctl writes it: over the command's database, masking the configured secrets. */
public final class Audits {
    private Audits() {}

    public static AuditLog of(OpsDatabase db, Settings settings) {
        return new AuditLog(new Jdbc(db.dataSource(), Duration.ZERO), Clock.systemUTC(), Redactor.of(settings));
    }

    /**
     * Runs a change and its audit row in one transaction; a database failure (an unmigrated schema without
     * audit_logs, say) is exit 1 naming the database's reason, and nothing changed.
     */
    public static <T> T inTransaction(OpsDatabase db, Jdbc.Work<T> work) {
        try {
            return new Jdbc(db.dataSource(), Duration.ZERO).inTransaction(work);
        } catch (DataAccessException e) {
            throw new OpsctlException(
                    ExitCode.FAILED,
                    OpsDatabase.rootCause(e) + " (is the schema migrated? opsctl db status); nothing changed",
                    e);
        }
    }
}
