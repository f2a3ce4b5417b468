package com.aiphoto.server.tasks;

import com.aiphoto.testing.ScratchBackend;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tasks end to end on MariaDB and Redis (wake-ups through Redis). */
class TaskEndToEndMariaDbRedisTest extends TaskEndToEndContract {
    private static ScratchBackend backend;

    @BeforeAll
    static void database() {
        backend = ScratchBackend.create("tasks_e2e");
    }

    @AfterAll
    static void dropDatabase() {
        backend.close();
    }

    @Override
    Map<String, String> backend() {
        return backend.settings();
    }
}
