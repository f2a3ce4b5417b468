package com.aiphoto.core.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;

/** What a failed statement means, the same way for mysql-connector-j, MariaDB Connector/J and H2. */
public final class SqlErrors {
    /**
     * Server error numbers that mean "try again later" rather than a bug: lock wait timeout (1205), query
     * interrupted (1317, how mysql-connector-j's query timeout ends a statement), MariaDB's max_statement_time
     * (1969) and MySQL's max_execution_time (3024).
     */
    private static final Set<Integer> TRANSIENT_ERRORS = Set.of(1205, 1317, 1969, 3024);

    private SqlErrors() {}

    /** A unique-key violation: SQLState class 23 (MySQL/MariaDB report 23000, H2 23505). */
    public static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se
                    && se.getSQLState() != null
                    && se.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database could not be reached or did not answer in time (connection failure, socket or query timeout,
     * lock wait): the caller may retry later; an API answers 503. Suppressed exceptions count as well: when a
     * connection breaks under a statement, the failure thrown is often the cleanup's on the pool's closed
     * connection (no SQLState), with the socket error only suppressed (db-scheduler's JdbcRunner, try-with-resources).
     */
    public static boolean isUnavailable(Throwable e) {
        return anyCause(e, SqlErrors::saysUnavailable);
    }

    /** Whether {@code e}, one of its causes, or any of their suppressed exceptions (and their causes) matches. */
    public static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        return anyCause(e, test, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean anyCause(Throwable e, Predicate<Throwable> test, Set<Throwable> seen) {
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (anyCause(s, test, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean saysUnavailable(Throwable t) {
        if (t instanceof SQLTransientException
                || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException
                || t.getClass().getName().equals("com.mysql.cj.jdbc.exceptions.CommunicationsException")) {
            return true;
        }
        return t instanceof SQLException se
                && (TRANSIENT_ERRORS.contains(se.getErrorCode())
                        || (se.getSQLState() != null && se.getSQLState().startsWith("08")));
    }
}
