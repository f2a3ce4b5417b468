package com.aiphoto.server.platform;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections of the pool in the order they were asked for. HikariCP's borrow is not fair: a caller arriving
 * while others wait can take a connection just returned, ahead of them (HikariCP issues #1232, #2192), so under
 * saturation some requests wait many times the mean and a few run into the connection timeout (503) while most
 * are served in tens of milliseconds. A fair semaphore with the pool's size in front of it queues callers FIFO;
 * the pool then always has a connection for a caller that holds a permit. Hand-written: no pool of the field
 * offers a fair borrow with Hikari's bounds, and this is one semaphore around {@code getConnection}.
 */
final class FairConnectionGate implements DataSource {
    private final DataSource pool;
    private final Semaphore permits;
    private final long timeoutNanos;

    FairConnectionGate(DataSource pool, int size, Duration timeout) {
        this.pool = pool;
        this.permits = new Semaphore(size, true);
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            // tryAcquire with a timeout honours fairness (a barging tryAcquire() would not)
            if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SQLTransientConnectionException("no database connection within "
                        + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted waiting for a database connection", e);
        }
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        return releasingOnClose(c);
    }

    /** Free permits (connections nobody holds through the gate), for tests. */
    int available() {
        return permits.availablePermits();
    }

    /** Callers waiting for a connection, for tests. */
    int waiting() {
        return permits.getQueueLength();
    }

    private Connection releasingOnClose(Connection c) {
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "close" -> {
                            if (released.compareAndSet(false, true)) { // a second close is a no-op, as the pool's
                                try {
                                    c.close();
                                } finally {
                                    permits.release();
                                }
                            }
                            return null;
                        }
                        default -> {
                            try {
                                return method.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the request pool has one account");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
