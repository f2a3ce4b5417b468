package com.aiphoto.server.admin;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The admin API on the embedded default: H2 in MySQL mode, in-process signals (one instance). */
class AdminApiEmbeddedTest extends AdminApiContract {
    @BeforeAll
    static void start() {
        startServer(Map.of());
    }

    @AfterAll
    static void stop() {
        stopServer();
    }
}
