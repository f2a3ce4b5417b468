package com.aiphoto.server.tasks;

import java.util.Map;

/** Tasks on the embedded default: H2 and in-process wake-ups, the same scheduler. */
class TaskFlowEmbeddedTest extends TaskFlowContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }
}
