package com.aiphoto.server.auth;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.account.Role;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.SqlErrors;
import com.aiphoto.server.platform.Sql;
import io.helidon.dbclient.DbClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The users table. First logins race (two devices, a double tap): creation tolerates the unique key and re-reads. */
final class Users {
    private static final String COLUMNS = "id, phone, wechat_openid, wechat_unionid, password_hash, nickname, role, "
            + "member_expires_at, quota_balance, created_at";

    private final DbClient db;
    private final Jdbc jdbc;
    private final AccountChanges changes;

    public Users(DbClient db, Jdbc jdbc, AccountChanges changes) {
        this.db = db;
        this.jdbc = jdbc;
        this.changes = changes;
    }

    /**
     * Every authenticated request whose user is not cached runs this: through core's {@link Jdbc} (one prepared
     * statement), not the DbClient, whose statement parsing and row wrapping were a sixth of a list request's
     * CPU in a JFR profile.
     */
    public Optional<User> byId(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", Users::map, id);
    }

    public Optional<User> byPhone(String phone) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE phone = ?", Users::map, phone);
    }

    public Optional<User> byOpenid(String openid) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE wechat_openid = ?", Users::map, openid);
    }

    /** The user with this phone, created on first login. */
    public User findOrCreateByPhone(String phone, Instant now) {
        return byPhone(phone).orElseGet(() -> {
            insertIgnoringDuplicate(
                    "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) "
                            + "VALUES (?, 'user', 0, ?, ?)",
                    phone,
                    Sql.utc(now),
                    Sql.utc(now));
            return byPhone(phone).orElseThrow();
        });
    }

    /**
     * The user with this mini-program openid, else the one with this unionid (the same person reached through
     * another mini-program of the same open platform account: same unionid, other openid), created on first login.
     * The unionid account keeps its openid: logins through either app find it.
     */
    public User findOrCreateByOpenid(String openid, String unionid, Instant now) {
        return byOpenidOrUnionid(openid, unionid).orElseGet(() -> {
            insertIgnoringDuplicate(
                    "INSERT INTO users (wechat_openid, wechat_unionid, role, quota_balance, created_at, "
                            + "updated_at) VALUES (?, ?, 'user', 0, ?, ?)",
                    openid,
                    unionid,
                    Sql.utc(now),
                    Sql.utc(now));
            return byOpenidOrUnionid(openid, unionid).orElseThrow();
        });
    }

    private Optional<User> byOpenidOrUnionid(String openid, String unionid) {
        Optional<User> user = byOpenid(openid);
        if (user.isPresent() || unionid == null) {
            return user;
        }
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE wechat_unionid = ?", Users::map, unionid);
    }

    public void setPasswordHash(long id, String hash, Instant now) {
        db.execute().update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, Sql.utc(now), id);
        changes.changed(id);
    }

    private void insertIgnoringDuplicate(String sql, Object... params) {
        try {
            db.execute().insert(sql, params);
        } catch (RuntimeException e) {
            if (!SqlErrors.isDuplicateKey(e)) {
                throw e;
            }
        }
    }

    static User map(ResultSet r) throws SQLException {
        return new User(
                r.getLong("id"),
                r.getString("phone"),
                r.getString("wechat_openid"),
                r.getString("wechat_unionid"),
                r.getString("password_hash"),
                r.getString("nickname"),
                Role.parse(r.getString("role")),
                Jdbc.instant(r, "member_expires_at"),
                r.getInt("quota_balance"),
                Jdbc.instant(r, "created_at"));
    }
}
