package com.aiphoto.server.auth;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Secrets;
import com.aiphoto.server.platform.Sql;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens: 256 random bits, stored as SHA-256 only, rotated on every use. Presenting a token that was
 * already rotated means two parties hold the family (one of them a thief): the whole family is revoked.
 */
public final class RefreshTokens {
    private static final Logger SECURITY = LoggerFactory.getLogger("security");
    private static final String REVOKE_FAMILY =
            "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL";

    /** A fresh token and whose it is. */
    public record Issued(long userId, String token) {
    }

    private final DbClient db;
    private final Duration lifetime;
    private final Clock clock;

    public RefreshTokens(DbClient db, Duration lifetime, Clock clock) {
        this.db = db;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Starts a new family (a login). */
    public String issue(long userId) {
        String token = Secrets.randomToken(32);
        insert(db.execute()::insert, userId, token, Secrets.randomHex(16));
        return token;
    }

    /** Exchanges {@code token} for a new one of the same family; 401/2008 when invalid, expired or reused. */
    public Issued rotate(String token) {
        Instant now = clock.instant();
        DbTransaction tx = db.transaction();
        boolean done = false;
        try {
            Optional<DbRow> row = tx.get("SELECT id, user_id, family_id, expires_at, replaced_by, revoked_at "
                    + "FROM refresh_tokens WHERE token_hash = ? FOR UPDATE", Secrets.sha256Hex(token));
            if (row.isEmpty()) {
                throw invalid();
            }
            DbRow r = row.get();
            long id = Sql.longValue(r, "id");
            long userId = Sql.longValue(r, "user_id");
            String family = Sql.string(r, "family_id");
            if (Sql.value(r, "revoked_at") != null) {
                throw invalid();
            }
            if (Sql.value(r, "replaced_by") != null) {
                long revoked = tx.update(REVOKE_FAMILY, Sql.utc(now), family);
                tx.commit();
                done = true;
                SECURITY.warn("refresh token reuse: family revoked ({} tokens)", revoked,
                        keyValue("userId", userId), keyValue("event", "refresh_token_reuse"));
                throw invalid();
            }
            if (!Sql.instant(r, "expires_at").isAfter(now)) {
                throw invalid();
            }
            String next = Secrets.randomToken(32);
            long nextId = insert((sql, params) -> tx.createInsert(sql).params(params).returnGeneratedKeys()
                    .insert().generatedKeys().findFirst().map(k -> ((Number) k.column(1).get()).longValue())
                    .orElseThrow(), userId, next, family);
            tx.update("UPDATE refresh_tokens SET replaced_by = ? WHERE id = ?", nextId, id);
            tx.commit();
            done = true;
            return new Issued(userId, next);
        } finally {
            if (!done) {
                tx.rollback();
            }
        }
    }

    /** Revokes the family of {@code token} if it belongs to {@code userId}; unknown tokens are ignored. */
    public void revokeFamily(long userId, String token) {
        db.execute().get("SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND user_id = ?",
                        Secrets.sha256Hex(token), userId)
                .ifPresent(r -> db.execute().update(REVOKE_FAMILY, Sql.utc(clock.instant()),
                        Sql.string(r, "family_id")));
    }

    public void revokeAll(long userId) {
        db.execute().update("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                Sql.utc(clock.instant()), userId);
    }

    @FunctionalInterface
    private interface Inserter {
        long insert(String sql, Object... params);
    }

    private long insert(Inserter inserter, long userId, String token, String family) {
        Instant now = clock.instant();
        return inserter.insert("INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", userId, Secrets.sha256Hex(token), family, Sql.utc(now.plus(lifetime)),
                Sql.utc(now));
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.REFRESH_INVALID);
    }
}
