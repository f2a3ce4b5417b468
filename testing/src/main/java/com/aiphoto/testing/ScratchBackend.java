package com.aiphoto.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * What a "...MariaDbRedisTest" class runs a server on: a scratch MariaDB database and a Redis key prefix of its own,
 * both removed on close.
 */
public final class ScratchBackend implements AutoCloseable {
    private final TestDatabases.Scratch db;
    private final String prefix;

    private ScratchBackend(TestDatabases.Scratch db, String prefix) {
        this.db = db;
        this.prefix = prefix;
    }

    /** A new database named after {@code label} and a random key prefix. */
    public static ScratchBackend create(String label) {
        return new ScratchBackend(TestDatabases.create(label), TestRedis.randomPrefix());
    }

    public TestDatabases.Scratch database() {
        return db;
    }

    /** The Redis key prefix. */
    public String prefix() {
        return prefix;
    }

    /** The server's DB_* settings (through {@link TestDatabases#driver()}) and its Redis settings. */
    public Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(prefix));
        return m;
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            TestRedis.deleteByPrefix(prefix);
        }
    }
}
