package com.aiphoto.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Doc(String name, Instant at, Path file, List<Integer> counts, String missing) {}

    @Test
    void escapesStringsSoTheyRoundTrip() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 unicode 漢字";
        assertEquals(nasty, Json.read(Json.write(nasty)).textValue());
    }

    @Test
    void writesRecordsCompactInComponentOrderWithInstantsAndPathsAsStrings() {
        Doc doc = new Doc(
                "b", Instant.parse("2025-03-01T02:00:00Z"), Path.of("/var/backups/x.sql.zst"), List.of(1, 2), null);
        assertEquals(
                "{\"name\":\"b\",\"at\":\"2025-03-01T02:00:00Z\",\"file\":\"/var/backups/x.sql.zst\","
                        + "\"counts\":[1,2],\"missing\":null}",
                Json.write(doc));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, 2.5, true));
        m.put("a", null);
        m.put("c", Map.of("x", "y"));
        assertEquals("{\"b\":[1,2.5,true],\"a\":null,\"c\":{\"x\":\"y\"}}", Json.write(m));
    }

    @Test
    void readingRejectsMalformedDocumentsAndBadInstants() {
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\":1,}"));
        record At(Instant at) {}
        assertThrows(IllegalArgumentException.class, () -> Json.bind(Json.read("{\"at\":\"yesterday\"}"), At.class));
        assertEquals(
                Instant.parse("2025-03-01T02:00:00Z"),
                Json.bind(Json.read("{\"at\":\"2025-03-01T02:00:00Z\"}"), At.class)
                        .at());
    }
}
