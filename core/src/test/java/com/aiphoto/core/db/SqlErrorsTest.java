package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database is unavailable" (503) rather than a bug (500). */
class SqlErrorsTest {
    @Test
    void aLostConnectionReportedAsSuppressedIsUnavailable() {
        // db-scheduler's JdbcRunner, when the connection broke under a statement: the statement's socket error is
        // suppressed by its cleanup's failure on the pool's closed connection, which has no SQLState
        RuntimeException e =
                new RuntimeException("Error when preparing statement.", new SQLException("Connection is closed"));
        e.addSuppressed(new RuntimeException(new SQLNonTransientConnectionException("(conn=122) Socket error")));
        assertTrue(SqlErrors.isUnavailable(e), "found in a suppressed exception");
        assertTrue(SqlErrors.isUnavailable(new IllegalStateException(e)), "and in its causes' suppressed ones");
    }

    @Test
    void otherFailuresAreNot() {
        RuntimeException e = new RuntimeException(new SQLException("Table 'x' doesn't exist", "42S02", 1146));
        e.addSuppressed(new SQLException("Connection is closed"));
        assertFalse(SqlErrors.isUnavailable(e));
        RuntimeException loop = new RuntimeException("self-suppressing cause");
        RuntimeException outer = new RuntimeException(loop);
        loop.addSuppressed(outer); // a cycle must end the walk, not overflow
        assertFalse(SqlErrors.isUnavailable(outer));
    }
}
