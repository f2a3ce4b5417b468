package com.aiphoto.server.tasks;

import java.util.Map;

/** Tasks end to end on the embedded default: H2, local storage, in-process wake-ups. */
class TaskEndToEndEmbeddedTest extends TaskEndToEndContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }
}
