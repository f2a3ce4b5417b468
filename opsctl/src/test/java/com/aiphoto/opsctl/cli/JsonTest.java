package com.aiphoto.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesStringsSoTheyRoundTrip() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 line-sep \u2028 unicode 漢字";
        assertEquals(nasty, JsonParser.parse(Json.write(nasty)));
    }

    @Test
    void writesNestedStructuresInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, 2.5, true));
        m.put("a", null);
        m.put("c", Map.of("x", "y"));
        assertEquals("{\"b\":[1,2.5,true],\"a\":null,\"c\":{\"x\":\"y\"}}", Json.write(m));
        assertEquals(Map.of("b", List.of(1.0, 2.5, true), "c", Map.of("x", "y")),
                withoutNulls(JsonParser.parse(Json.write(m))));
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertEquals("[null,null]", Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY)));
    }

    private static Object withoutNulls(Object parsed) {
        Map<?, ?> m = (Map<?, ?>) parsed;
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.values().removeIf(v -> v == null);
        return copy;
    }
}
