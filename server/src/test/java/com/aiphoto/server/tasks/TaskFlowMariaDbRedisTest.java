package com.aiphoto.server.tasks;

import com.aiphoto.testing.ScratchBackend;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tasks on MariaDB and Redis (wake-ups through Redis). */
class TaskFlowMariaDbRedisTest extends TaskFlowContract {
    private static ScratchBackend backend;

    @BeforeAll
    static void database() {
        backend = ScratchBackend.create("tasks");
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
