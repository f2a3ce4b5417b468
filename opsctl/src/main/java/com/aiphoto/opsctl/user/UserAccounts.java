package com.aiphoto.opsctl.user;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.db.Jdbc;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/** The users table as the operator sees it: by phone, with the role as the only thing opsctl changes. */
final class UserAccounts {
    /** An account's operator view and user show's --json (full phone: the operator is trusted; no password). */
    record Account(
            long id,
            String phone,
            String role,
            String nickname,
            Instant memberExpiresAt,
            @JsonProperty("quotaRemaining") int quota,
            boolean hasPassword,
            Instant createdAt) {}

    private final DataSource ds;

    UserAccounts(DataSource ds) {
        this.ds = ds;
    }

    Optional<Account> byPhone(String phone) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, phone, role, nickname, member_expires_at, "
                                + "quota_balance, password_hash IS NOT NULL AS has_password, created_at FROM users WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        utc(rs.getObject(5, LocalDateTime.class)),
                        rs.getInt(6),
                        rs.getBoolean(7),
                        utc(rs.getObject(8, LocalDateTime.class))));
            }
        }
    }

    /**
     * Sets the role in the caller's transaction (its audit row goes with it); true when the account exists. The
     * servers are told once it commits.
     */
    static boolean setRole(Jdbc.Handle h, long id, String role, AccountChanges changes) {
        boolean found =
                h.update("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", role, Instant.now(), id) == 1;
        h.afterCommit(() -> changes.changed(id));
        return found;
    }

    private static Instant utc(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
