package com.aiphoto.server.auth;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens: 256 random bits, stored as SHA-256 only, rotated on every use. Presenting a token that was
 * already rotated means two parties hold the family (one of them a thief): the whole family is revoked, unless
 * it comes within the grace window of its rotation (a retried or concurrent refresh): then the caller gets the
 * same successor again. Only the hash is stored, so the successor is an HMAC of the token under a server key: it
 * can be re-derived from the presented token, and by nobody without the key. Rotation is a locked read and two
 * writes, so it runs through {@link Jdbc#inTransaction}.
 */
final class RefreshTokens {
    private static final Logger SECURITY = LoggerFactory.getLogger("security");
    private static final String REVOKE_FAMILY =
            "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL";

    /** A fresh token and whose it is. */
    record Issued(long userId, String token) {}

    private record Stored(long id, long userId, String family, Instant expiresAt, Long replacedBy, boolean revoked) {}

    /** What a rotation found: a successor, or a reused token whose family the transaction revoked. */
    private sealed interface Rotation {}

    private record Rotated(Issued issued) implements Rotation {}

    private record Reused(long userId, int revoked) implements Rotation {}

    private final Jdbc jdbc;
    private final Duration lifetime;
    private final Duration grace;
    private final byte[] successorKey;
    private final Clock clock;

    /** @param grace how long after a rotation the rotated token still yields its successor (zero: never) */
    RefreshTokens(Jdbc jdbc, Duration lifetime, Duration grace, byte[] successorKey, Clock clock) {
        this.jdbc = jdbc;
        this.lifetime = lifetime;
        this.grace = grace;
        this.successorKey = successorKey.clone();
        this.clock = clock;
    }

    /** Starts a new family (a login). */
    String issue(long userId) {
        String token = Secrets.randomToken(32);
        jdbc.withConnection(h -> insert(h, userId, token, Secrets.randomHex(16)));
        return token;
    }

    /** Exchanges {@code token} for a new one of the same family; 401/2008 when invalid, expired or reused. */
    Issued rotate(String token) {
        Instant now = clock.instant();
        Rotation rotation = jdbc.inTransaction(tx -> {
            Stored s = tx.queryOne(
                            "SELECT id, user_id, family_id, expires_at, replaced_by, revoked_at "
                                    + "FROM refresh_tokens WHERE token_hash = ? FOR UPDATE",
                            r -> new Stored(
                                    r.getLong("id"),
                                    r.getLong("user_id"),
                                    r.getString("family_id"),
                                    Jdbc.instant(r, "expires_at"),
                                    r.getObject("replaced_by") == null ? null : r.getLong("replaced_by"),
                                    r.getObject("revoked_at") != null),
                            Secrets.sha256Hex(token))
                    .orElseThrow(RefreshTokens::invalid);
            if (s.revoked()) {
                throw invalid();
            }
            if (s.replacedBy() != null) {
                if (isCurrentWithinGrace(tx, s.replacedBy(), now)) {
                    return new Rotated(new Issued(s.userId(), successor(token)));
                }
                // committed before the caller hears 401: the revocation must stand
                return new Reused(s.userId(), tx.update(REVOKE_FAMILY, now, s.family()));
            }
            if (!s.expiresAt().isAfter(now)) {
                throw invalid();
            }
            String next = successor(token);
            long nextId = insert(tx, s.userId(), next, s.family());
            tx.update("UPDATE refresh_tokens SET replaced_by = ? WHERE id = ?", nextId, s.id());
            return new Rotated(new Issued(s.userId(), next));
        });
        return switch (rotation) {
            case Rotated r -> r.issued();
            case Reused r -> {
                SECURITY.warn(
                        "refresh token reuse: family revoked ({} tokens)",
                        r.revoked(),
                        keyValue("userId", r.userId()),
                        keyValue("event", "refresh_token_reuse"));
                throw invalid();
            }
        };
    }

    /** Revokes the family of {@code token} if it belongs to {@code userId}; unknown tokens are ignored. */
    void revokeFamily(long userId, String token) {
        jdbc.withConnection(h -> h.queryOne(
                        "SELECT family_id FROM refresh_tokens WHERE token_hash = ? " + "AND user_id = ?",
                        r -> r.getString(1),
                        Secrets.sha256Hex(token),
                        userId)
                .map(family -> h.update(REVOKE_FAMILY, clock.instant(), family)));
    }

    void revokeAll(long userId) {
        revokeAllBut(userId, null);
    }

    /** The successor was made less than {@code grace} ago and is still the family's live token. */
    private boolean isCurrentWithinGrace(Jdbc.Handle tx, long successorId, Instant now) {
        return tx.queryOne(
                        "SELECT created_at FROM refresh_tokens WHERE id = ? AND replaced_by IS NULL "
                                + "AND revoked_at IS NULL",
                        r -> Jdbc.instant(r, "created_at"),
                        successorId)
                .filter(created -> created.plus(grace).isAfter(now))
                .isPresent();
    }

    /** 256 bits that only this server can derive from {@code token}, so a retry gets the same successor. */
    private String successor(String token) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Secrets.hmacSha256(successorKey, token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Revokes every family of the user but that of {@code keep} (the caller's own session; may be null or
     * unknown, then all).
     */
    void revokeAllBut(long userId, String keep) {
        jdbc.withConnection(h -> {
            String family = keep == null
                    ? null
                    : h.queryOne(
                                    "SELECT family_id FROM refresh_tokens " + "WHERE token_hash = ? AND user_id = ?",
                                    r -> r.getString(1),
                                    Secrets.sha256Hex(keep),
                                    userId)
                            .orElse(null);
            return h.update(
                    "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"
                            + " AND family_id <> ?",
                    clock.instant(),
                    userId,
                    family == null ? "" : family);
        });
    }

    private long insert(Jdbc.Handle h, long userId, String token, String family) {
        Instant now = clock.instant();
        return h.insert(
                "INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                userId,
                Secrets.sha256Hex(token),
                family,
                now.plus(lifetime),
                now);
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.REFRESH_INVALID);
    }
}
