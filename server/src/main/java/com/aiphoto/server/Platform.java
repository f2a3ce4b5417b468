package com.aiphoto.server;

import com.aiphoto.core.config.Cidr;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.server.platform.ClientIp;
import com.aiphoto.server.platform.Database;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Lifecycle;
import com.aiphoto.server.platform.MigrationGate;
import com.aiphoto.server.platform.RequestFilter;
import com.aiphoto.server.platform.RouteCatalog;
import com.aiphoto.server.platform.Scheduling;
import com.aiphoto.server.platform.kv.KvServices;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared pieces every feature is built from, created once per server from the settings (constructor
 * injection; no static singletons). Closing it closes the pools.
 */
public record Platform(
        Settings settings,
        Clock clock,
        Json json,
        Database database,
        MigrationGate migrations,
        Lifecycle lifecycle,
        ClientIp clientIp,
        RequestFilter requestFilter,
        RouteCatalog routes,
        KvServices kv,
        Scheduling scheduling)
        implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    public static Platform create(Settings s) {
        DatabaseSettings dbs = DatabaseSettings.from(s);
        if (dbs.embedded()) {
            LOG.info("DB_HOST not set: using {}", dbs.describe());
        }
        Database db = new Database(dbs);
        KvServices kv = null;
        try {
            MigrationGate gate = new MigrationGate(new Migrations(db.dataSource(), s.get("MIGRATIONS_LOCATION")));
            if (!s.isProduction()) {
                try (HikariDataSource ops = DataSources.create(dbs, "ai-photo-migrate")) {
                    gate.migrateOnStart(new Migrations(ops, s.get("MIGRATIONS_LOCATION")));
                }
            }
            ClientIp clientIp = new ClientIp(Cidr.parseList(s.get("TRUSTED_PROXIES")));
            kv = KvServices.create(s, s.get("REDIS_PREFIX"));
            Lifecycle lifecycle = new Lifecycle();
            return new Platform(
                    s,
                    Clock.systemUTC(),
                    new Json(s.bytes("MAX_JSON_BODY")),
                    db,
                    gate,
                    lifecycle,
                    clientIp,
                    new RequestFilter(clientIp, lifecycle),
                    new RouteCatalog(),
                    kv,
                    new Scheduling(db.dataSource(), Scheduling.Config.from(s), dbs.embedded()));
        } catch (RuntimeException e) {
            if (kv != null) {
                kv.close();
            }
            db.close();
            throw e;
        }
    }

    @Override
    public void close() {
        scheduling.close(); // running jobs finish (bounded) while the pools are still open
        kv.close();
        database.close();
    }
}
