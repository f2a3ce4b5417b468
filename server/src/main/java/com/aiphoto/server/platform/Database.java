package com.aiphoto.server.platform;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

/**
 * The HikariCP pool and the Helidon DbClient over it. Helidon 4.5 has no Hikari module, so a one-method
 * {@link JdbcConnectionPool} hands Hikari's connections to the DbClient.
 */
public final class Database implements AutoCloseable {
    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    private final DbClient client;

    public Database(DatabaseSettings settings) {
        this.settings = settings;
        this.dataSource = DataSources.create(settings, "ai-photo-api");
        JdbcConnectionPool pool = new HikariPool(dataSource, settings.embedded() ? "h2" : "mysql");
        this.client = JdbcClientBuilder.create().connectionPool(pool).build();
    }

    public DbClient client() {
        return client;
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

    private record HikariPool(HikariDataSource ds, String dbType) implements JdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                return ds.getConnection();
            } catch (SQLException e) {
                throw new DependencyUnavailableException("database unavailable", e);
            }
        }
    }
}
