package com.aiphoto.server.tasks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that hands out one connection, the caller's, already in a transaction: db-scheduler's client built on
 * it writes the execution row in that transaction (its documented way to schedule transactionally), so a rollback
 * leaves neither the task nor its execution. Closing what it hands out does nothing; the transaction's owner
 * commits, rolls back and closes.
 */
final class BoundDataSource implements DataSource {
    private final Connection connection;

    BoundDataSource(Connection connection) {
        this.connection = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            return null;
                        }
                        case "isClosed" -> {
                            return connection.isClosed();
                        }
                        case "commit", "rollback", "setAutoCommit" ->
                            throw new SQLException("the transaction belongs to the caller");
                        default -> {
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) {
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
