package com.aiphoto.server.callbacks;

import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.SqlErrors;
import java.time.Clock;
import java.time.Instant;

/**
 * Replays refused through the {@code callback_replays} table: the signature is its primary key, so of any number
 * of instances inserting the same one, exactly one succeeds. Expired rows are purged by a recurring job.
 */
final class DbReplayGuard implements ReplayGuard {
    private final Jdbc jdbc;
    private final Clock clock;

    DbReplayGuard(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String signature, Instant until) {
        try {
            jdbc.update("INSERT INTO callback_replays (signature, expires_at) VALUES (?, ?)", signature, until);
            return true;
        } catch (DataAccessException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void forget(String signature) {
        jdbc.update("DELETE FROM callback_replays WHERE signature = ?", signature);
    }

    /** Deletes the rows whose signatures can no longer be presented; returns how many. */
    int purgeExpired() {
        return jdbc.update("DELETE FROM callback_replays WHERE expires_at < ?", clock.instant());
    }
}
