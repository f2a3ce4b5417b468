package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link Storage} does, run against each implementation. */
abstract class StorageContract {
    static final List<String> BAD_KEYS = List.of(
            "../x.png",
            "input/../../etc/passwd",
            "/etc/passwd",
            "input\\..\\x.png",
            "input/%2e%2e/x.png",
            "input/..%2fx.png",
            "input//x.png",
            "input/./x.png",
            "input/x.png/",
            "",
            "input/x\u0000.png",
            "C:/x.png");

    abstract Storage storage();

    @Test
    void putGetStatHeadCopyDelete() {
        Storage s = storage();
        byte[] data = "\u0089PNG some bytes".getBytes(StandardCharsets.ISO_8859_1);
        s.put("input/7/20260101/a.png", data, "image/png");
        assertArrayEquals(data, s.get("input/7/20260101/a.png").orElseThrow());
        assertEquals(
                new Storage.ObjectInfo(data.length, "image/png"),
                s.stat("input/7/20260101/a.png").orElseThrow());
        assertArrayEquals(
                new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                s.head("input/7/20260101/a.png", 4).orElseThrow());
        assertTrue(s.copy("input/7/20260101/a.png", "output/1/copy.png"));
        assertArrayEquals(data, s.get("output/1/copy.png").orElseThrow());
        assertFalse(s.copy("input/7/none.png", "output/1/none.png"));
        s.delete("input/7/20260101/a.png");
        s.delete("input/7/20260101/a.png"); // missing: no error
        assertEquals(Optional.empty(), s.get("input/7/20260101/a.png"));
        assertEquals(Optional.empty(), s.stat("input/7/20260101/a.png"));
        assertEquals(Optional.empty(), s.head("input/7/20260101/a.png", 4));
        // an empty object is an object (only client uploads must not be empty)
        s.put("output/1/empty.png", new byte[0], "image/png");
        assertEquals(0, s.stat("output/1/empty.png").orElseThrow().size());
    }

    @Test
    void traversalAndMalformedKeysAreRefusedBeforeAnyIo() {
        Storage s = storage();
        for (String key : BAD_KEYS) {
            assertThrows(IllegalArgumentException.class, () -> s.put(key, new byte[] {1}, "image/png"), key);
            assertThrows(IllegalArgumentException.class, () -> s.get(key), key);
            assertThrows(IllegalArgumentException.class, () -> s.stat(key), key);
            assertThrows(IllegalArgumentException.class, () -> s.delete(key), key);
            assertThrows(IllegalArgumentException.class, () -> s.copy("input/a.png", key), key);
            assertThrows(IllegalArgumentException.class, () -> s.presignGet(key, java.time.Duration.ofMinutes(1)), key);
        }
        afterRefusedKeys();
    }

    /** Checks that nothing reached the backend after {@link #traversalAndMalformedKeysAreRefusedBeforeAnyIo}. */
    abstract void afterRefusedKeys();
}
