package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    private static List<String> sql(SqlScript s) {
        return s.statements().stream().map(SqlScript.Statement::sql).toList();
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        SqlScript s = SqlScript.parse("""
                -- leading comment; not a statement
                CREATE TABLE a (x VARCHAR(10) DEFAULT 'a;b', `odd;name` INT);
                # hash comment;
                INSERT INTO a VALUES ('it''s; fine', 1), ("dq;\\"x", 2);
                /* block; comment */ UPDATE a SET x = 'y';
                /*!40101 SET NAMES utf8mb4 */;
                SELECT 1""");
        assertEquals(
                List.of(
                        "CREATE TABLE a (x VARCHAR(10) DEFAULT 'a;b', `odd;name` INT)",
                        "INSERT INTO a VALUES ('it''s; fine', 1), (\"dq;\\\"x\", 2)",
                        "UPDATE a SET x = 'y'",
                        "/*!40101 SET NAMES utf8mb4 */",
                        "SELECT 1"),
                sql(s));
        assertEquals(
                List.of(2, 4, 5, 6, 7),
                s.statements().stream().map(SqlScript.Statement::line).toList());
        assertEquals(
                List.of(1, 2, 3, 4, 5),
                s.statements().stream().map(SqlScript.Statement::number).toList());
    }

    @Test
    void delimiterDirectiveAllowsCompoundBodies() {
        SqlScript s = SqlScript.parse("""
                CREATE TABLE t (n INT);
                DELIMITER $$
                CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
                BEGIN
                  SET NEW.n = NEW.n + 1;
                END$$
                DELIMITER ;
                DROP TABLE u;
                """);
        assertEquals(3, s.size());
        assertEquals(
                "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.n = NEW.n + 1;\nEND",
                s.statements().get(1).sql());
        assertEquals(3, s.statements().get(1).line());
        assertEquals(8, s.statements().get(2).line());
    }

    @Test
    void doubleDashNeedsASpaceToBeAComment() {
        assertEquals(List.of("SELECT 5--1", "SELECT 2"), sql(SqlScript.parse("SELECT 5--1;\nSELECT 2;")));
    }

    @Test
    void emptyAndCommentOnlyScriptsHaveNoStatements() {
        assertEquals(0, SqlScript.parse("").size());
        assertEquals(0, SqlScript.parse("\uFEFF-- only a comment\n;\n  ;").size());
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> SqlScript.parse("SELECT 'oops;"));
        assertThrows(IllegalArgumentException.class, () -> SqlScript.parse("SELECT 1 /* oops;"));
    }

    @Test
    void digestCoversOnlyThePrefixAndIgnoresSurroundingBlanks() {
        SqlScript a = SqlScript.parse("CREATE TABLE a (x INT);\nALTER TABLE nope ADD y INT;");
        SqlScript b = SqlScript.parse("CREATE TABLE a (x INT);\n\n  ALTER TABLE widgets ADD y INT;");
        assertEquals(a.digest(1), b.digest(1));
        assertNotEquals(a.digest(2), b.digest(2));
        assertEquals(a.digest(0), SqlScript.parse("").digest(0));
    }

    @Test
    void excerptIsOneShortLine() {
        SqlScript.Statement st = SqlScript.parse("ALTER TABLE\n  widgets\n  ADD COLUMN something_long INT;")
                .statements()
                .getFirst();
        assertEquals("ALTER TABLE widgets ADD...", st.excerpt(26));
    }
}
