package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private final Json json = new Json(1024);

    record Times(Instant at, OffsetDateTime local) {}

    @Test
    void everyTimestampIsUtcWithExactlyThreeFractionDigits() throws Exception {
        // issue 8 #7: a zero fraction was left out ("...:45Z") and sub-millisecond digits were kept
        assertEquals(
                "\"2026-12-01T21:39:45.000Z\"",
                json.mapper().writeValueAsString(Instant.parse("2026-12-01T21:39:45Z")));
        assertEquals(
                "\"2026-12-01T21:39:45.123Z\"",
                json.mapper().writeValueAsString(Instant.parse("2026-12-01T21:39:45.123456789Z")));
        assertEquals(
                "{\"at\":\"0999-01-01T00:00:00.100Z\",\"local\":\"2026-12-01T13:39:45.000Z\"}",
                json.mapper()
                        .writeValueAsString(new Times(
                                Instant.parse("0999-01-01T00:00:00.1Z"),
                                OffsetDateTime.parse("2026-12-01T21:39:45+08:00"))));
        assertEquals(
                "{\"k\":\"2026-12-01T21:39:45.000Z\"}",
                json.mapper().writeValueAsString(Map.of("k", Instant.parse("2026-12-01T21:39:45Z"))));
    }
}
