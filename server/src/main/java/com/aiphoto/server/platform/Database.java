package com.aiphoto.server.platform;

import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Jdbc;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The request pool (HikariCP, {@link DataSources.Workload#REQUESTS} bounds) and the two ways to use it: Helidon's
 * {@link DbClient} for simple reads and single writes, and core's {@link Jdbc} for transactional work (the same
 * helper opsctl uses). A statement of either ends after {@code DB_QUERY_TIMEOUT}. Both take their connections
 * through a {@link FairConnectionGate}: in the order they asked, within {@code DB_CONNECT_TIMEOUT}.
 * Helidon 4.5 has no Hikari module, so a one-method {@link JdbcConnectionPool} hands Hikari's connections to the
 * DbClient. On MariaDB and MySQL the server itself ends a statement after {@code DB_QUERY_TIMEOUT} (a session
 * variable the pool sets on each connection); on the embedded H2, the JDBC query timeout does.
 */
public final class Database implements AutoCloseable {
    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    private final DbClient client;
    private final Jdbc jdbc;

    public Database(DatabaseSettings settings) {
        this.settings = settings;
        this.dataSource = DataSources.create(settings, "ai-photo-api", DataSources.Workload.REQUESTS);
        // MariaDB and MySQL enforce DB_QUERY_TIMEOUT on the session (DataSources.requestSessionSql), without the
        // driver's per-statement timer; H2 has no such variable, so its statements get the JDBC query timeout
        int clientTimeout = settings.embedded() ? settings.queryTimeoutSeconds() : 0;
        // requests take connections in the order they asked (FairConnectionGate); db-scheduler, migrations and
        // the readiness ping use the pool directly
        DataSource fair = new FairConnectionGate(
                dataSource, dataSource.getMaximumPoolSize(), Duration.ofMillis(dataSource.getConnectionTimeout()));
        JdbcConnectionPool pool = new HikariPool(fair, settings.embedded() ? "h2" : "mysql", clientTimeout);
        this.client = JdbcClientBuilder.create().connectionPool(pool).build();
        this.jdbc = new Jdbc(fair, settings.embedded() ? settings.queryTimeout() : Duration.ZERO);
    }

    /** For simple reads and single-statement writes. */
    public DbClient client() {
        return client;
    }

    /** For work of several statements that must commit together ({@link Jdbc#inTransaction}). */
    public Jdbc jdbc() {
        return jdbc;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** A validated connection within the pool's timeout; false (never an exception) when the database is down. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private record HikariPool(DataSource ds, String dbType, int queryTimeoutSeconds) implements JdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                Connection c = ds.getConnection();
                return queryTimeoutSeconds > 0 ? withQueryTimeout(c, queryTimeoutSeconds) : c;
            } catch (SQLException e) {
                throw new DependencyUnavailableException("database unavailable", e);
            }
        }
    }

    /**
     * The connection, but every statement it creates has a query timeout. Hand-written because neither Helidon's
     * DbClient nor the drivers offer a default statement timeout, and a request must not wait on a stuck query.
     */
    static Connection withQueryTimeout(Connection connection, int seconds) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Statement st && isStatementFactory(method.getName())) {
                        st.setQueryTimeout(seconds);
                    }
                    return result;
                });
    }

    /** createStatement, prepareStatement, prepareCall (no regex: this runs for every call on a connection). */
    private static boolean isStatementFactory(String method) {
        return method.startsWith("prepare") || method.equals("createStatement");
    }
}
