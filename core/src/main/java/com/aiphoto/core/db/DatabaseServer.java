package com.aiphoto.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the configured driver is talking to, for {@code opsctl config check} and start-up logs: the server's own
 * {@code VERSION()} (the driver's metadata cannot be trusted: mysql-connector-j reports MariaDB as "MySQL 5.5.5").
 */
public record DatabaseServer(
        String product, String version, String driverName, String driverVersion, DatabaseSettings.Driver configured) {

    /** Asks the database behind {@code dataSource} (one short connection). */
    public static DatabaseServer inspect(DataSource dataSource, DatabaseSettings.Driver configured)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return inspect(c, configured);
        }
    }

    /** Asks the database behind {@code c}, which stays open. */
    public static DatabaseServer inspect(Connection c, DatabaseSettings.Driver configured) throws SQLException {
        var md = c.getMetaData();
        String version = md.getDatabaseProductVersion();
        String product = md.getDatabaseProductName();
        if (!product.toLowerCase(Locale.ROOT).contains("h2")) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            product = version.toLowerCase(Locale.ROOT).contains("mariadb") ? "MariaDB" : "MySQL";
        }
        return new DatabaseServer(product, version, md.getDriverName(), md.getDriverVersion(), configured);
    }

    public boolean mariadb() {
        return "MariaDB".equals(product);
    }

    /** A warning when the driver does not suit the server (H2 has no choice to make); empty when it does. */
    public Optional<String> driverMismatch() {
        if (mariadb() && configured == DatabaseSettings.Driver.MYSQL) {
            return Optional.of("DB_DRIVER=mysql but the server is MariaDB " + version + ": mysql-connector-j "
                    + "drops fractional seconds there; set DB_DRIVER=mariadb");
        }
        if ("MySQL".equals(product) && configured == DatabaseSettings.Driver.MARIADB) {
            return Optional.of("DB_DRIVER=mariadb but the server is MySQL " + version
                    + ": MariaDB Connector/J does not support MySQL 8 servers; set DB_DRIVER=mysql");
        }
        return Optional.empty();
    }
}
