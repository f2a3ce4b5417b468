package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InProcessKeyValueStoreTest extends KeyValueStoreContract {

    @Override
    KeyValueStore newStore() {
        return new InProcessKeyValueStore();
    }

    @Test
    void expiredEntriesAreSwept() throws Exception {
        InProcessKeyValueStore s = new InProcessKeyValueStore();
        for (int i = 0; i < 100; i++) {
            s.put("old" + i, "x", Duration.ofMillis(50));
        }
        Thread.sleep(100);
        for (int i = 0; i < InProcessKeyValueStore.SWEEP_EVERY; i++) {
            s.put("k", "x", Duration.ofMinutes(1));
        }
        assertEquals(1, s.size());
    }
}
