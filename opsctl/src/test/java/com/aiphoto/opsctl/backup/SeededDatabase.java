package com.aiphoto.opsctl.backup;

import com.aiphoto.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scratch MariaDB database with the kinds of data a dump must carry: utf8mb4 text (emoji, quotes,
 * backslashes, newlines, a DEFINER clause as text), NULLs, binary with zero bytes, decimals, times, a foreign key, a view, a trigger
 * and a procedure (whose body needs DELIMITER on restore).
 */
final class SeededDatabase implements AutoCloseable {
    static final String UNIQUE_EMAIL = "alice@example.com";

    private final TestDatabases.Scratch db;

    private SeededDatabase(TestDatabases.Scratch db) {
        this.db = db;
    }

    static SeededDatabase create(String label, int users) {
        SeededDatabase s = new SeededDatabase(TestDatabases.create(label));
        s.exec(List.of(
                "CREATE TABLE users (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL,"
                        + " name VARCHAR(100) NULL, bio TEXT NULL, balance DECIMAL(12,2) NOT NULL DEFAULT 0,"
                        + " avatar BLOB NULL, created_at DATETIME(3) NOT NULL, UNIQUE KEY uq_email (email))",
                "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL,"
                        + " amount_fen INT NOT NULL, note VARCHAR(200) NULL,"
                        + " CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id))",
                "CREATE TABLE audit (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50) NOT NULL)",
                "INSERT INTO users (email, name, bio, balance, avatar, created_at) VALUES ('" + UNIQUE_EMAIL + "',"
                        + " 'Alice \uD83D\uDE00 O''Brien DEFINER=`root`@`localhost`', 'line1\\nline2 \\\\ back\\\\slash; -- not a comment', 12.50,"
                        + " 0x00FF00FE, '2024-01-02 03:04:05.678')",
                "INSERT INTO users (email, name, bio, balance, avatar, created_at) SELECT CONCAT('user', seq,"
                        + " '@example.com'), IF(seq % 7 = 0, NULL, CONCAT('用户', seq)), REPEAT('x', seq % 50),"
                        + " seq / 100, IF(seq % 3 = 0, UNHEX(MD5(seq)), NULL), '2024-05-06 07:08:09'"
                        + " FROM seq_1_to_" + users,
                "INSERT INTO orders (user_id, amount_fen, note) SELECT id, id * 100, IF(id % 2 = 0, 'paid', NULL)"
                        + " FROM users",
                "CREATE VIEW big_spenders AS SELECT user_id, SUM(amount_fen) AS total FROM orders GROUP BY user_id",
                "CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what)"
                        + " VALUES (CONCAT('order ', NEW.id))",
                "CREATE PROCEDURE add_audit(IN w VARCHAR(50)) BEGIN INSERT INTO audit (what) VALUES (w);"
                        + " SELECT COUNT(*) FROM audit; END"));
        return s;
    }

    TestDatabases.Scratch scratch() {
        return db;
    }

    String name() {
        return db.name();
    }

    /** DB_* settings for opsctl, with backups going to {@code backupDir}. */
    Map<String, String> env(java.nio.file.Path backupDir) {
        Map<String, String> env = new HashMap<>(db.settings());
        env.put("BACKUP_DIR", backupDir.toString());
        return env;
    }

    void exec(List<String> statements) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.user(), TestDatabases.password());
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-table row counts and content checksums, computed the way backups record them. */
    static List<TableChecksums.TableSum> checksums(String database) {
        return checksums(database, TableChecksums.Method.V2);
    }

    static List<TableChecksums.TableSum> checksums(String database, TableChecksums.Method method) {
        try (Connection c = DriverManager.getConnection(
                TestDatabases.serverUrl(), TestDatabases.user(), TestDatabases.password())) {
            return TableChecksums.compute(c, database, TableChecksums.baseTables(c, database), method);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
