package com.aiphoto.core.ledger;

import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;

/** The ledger on H2 in MySQL mode (the embedded default), pooled like the server. */
class QuotaLedgerH2Test extends QuotaLedgerContract {
    @BeforeAll
    static void migrate() {
        TestDatabases.H2Scratch db = TestDatabases.h2("ledger");
        HikariConfig c = new HikariConfig();
        // H2 waits 1 s for a row lock by default; 200 deducts queue on one user's row
        c.setJdbcUrl(db.jdbcUrl() + ";LOCK_TIMEOUT=10000");
        c.setMaximumPoolSize(8);
        use(new HikariDataSource(c), db);
    }
}
