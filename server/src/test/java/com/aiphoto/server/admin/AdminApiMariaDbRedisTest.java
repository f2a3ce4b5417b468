package com.aiphoto.server.admin;

import com.aiphoto.testing.ScratchBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The admin API on MariaDB and Redis. */
class AdminApiMariaDbRedisTest extends AdminApiContract {
    private static ScratchBackend backend;

    @BeforeAll
    static void start() {
        backend = ScratchBackend.create("admin");
        startServer(backend.settings());
    }

    @AfterAll
    static void stop() {
        try {
            stopServer();
        } finally {
            backend.close();
        }
    }
}
