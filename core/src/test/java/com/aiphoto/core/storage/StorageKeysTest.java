package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key rule, checked against its definition: '/'-separated segments of [A-Za-z0-9._-]{1,128}, not . or ... */
class StorageKeysTest {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** The rule as the class comment states it (what StorageKeys did with a regex before the one-pass check). */
    private static boolean byDefinition(String key) {
        if (key == null || key.isEmpty() || key.length() > 512) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    @Test
    void examples() {
        assertTrue(StorageKeys.valid("input/42/shirt.png"));
        assertTrue(StorageKeys.valid("result/t-1/0_a.b.png"));
        assertTrue(StorageKeys.valid("...")); // three dots is a name, not traversal
        assertTrue(StorageKeys.valid(".hidden/..x"));
        for (String bad : new String[] {
            null,
            "",
            "/abs",
            "a//b",
            "a/",
            "./a",
            "a/./b",
            "a/..",
            "../x.png",
            "a\\b",
            "a%2e%2e",
            "a b",
            "a\u0000b",
            "é.png",
            "a/" + "x".repeat(129),
            "x".repeat(513)
        }) {
            assertFalse(StorageKeys.valid(bad), String.valueOf(bad));
        }
        assertTrue(StorageKeys.valid("a/" + "x".repeat(128)));
    }

    @Test
    void agreesWithTheDefinitionOnRandomKeys() {
        String alphabet = "ab.Z9_-/\\%. \u0000é";
        Random random = new Random(20261203);
        int valid = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(n % 50 == 0 ? 200 : 12);
            for (int i = 0; i < length; i++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String k = key.toString();
            boolean expected = byDefinition(k);
            assertEquals(expected, StorageKeys.valid(k), () -> "key [" + k + "]");
            valid += expected ? 1 : 0;
        }
        assertTrue(valid > 1_000, "the random keys include valid ones: " + valid);
    }
}
