package com.aiphoto.core.ledger;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

/** The ledger on the real MariaDB, through the request pool's settings (lock wait bound included). */
class QuotaLedgerMariaDbTest extends QuotaLedgerContract {
    @BeforeAll
    static void migrate() {
        TestDatabases.Scratch db = TestDatabases.create("ledger");
        use(
                DataSources.create(
                        DatabaseSettings.from(Settings.of(db.settings())),
                        "ledger-test",
                        DataSources.Workload.REQUESTS),
                db);
    }
}
