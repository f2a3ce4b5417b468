package com.aiphoto.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends StorageContract {
    private static final byte[] SECRET =
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private LocalStorage local;

    @Override
    Storage storage() {
        if (local == null) {
            local = new LocalStorage(
                    dir.resolve("data"), "https://api.example.com/", new FileSignatures(SECRET, CLOCK));
        }
        return local;
    }

    @Override
    void afterRefusedKeys() {
        assertEquals(List.of(), files(dir));
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusedUploadsLeaveNothingAndTheLimitIsCheckedWhileStreaming() {
        LocalStorage s = (LocalStorage) storage();
        String key = "input/1/20260101/a.png";
        LocalStorage.UploadRefusedException big = assertThrows(
                LocalStorage.UploadRefusedException.class, () -> s.receive(key, endless(), 100_000, head -> {}));
        assertTrue(big.tooLarge());
        LocalStorage.UploadRefusedException empty = assertThrows(
                LocalStorage.UploadRefusedException.class,
                () -> s.receive(key, new ByteArrayInputStream(new byte[0]), 100, head -> {}));
        assertFalse(empty.tooLarge());
        assertThrows(
                LocalStorage.UploadRefusedException.class,
                () -> s.receive(key, new ByteArrayInputStream(new byte[50]), 100, head -> {
                    throw new LocalStorage.UploadRefusedException("wrong type", false);
                }));
        assertEquals(List.of(), files(dir));
        assertEquals(Optional.empty(), s.stat(key));

        byte[] ok = new byte[40_000];
        ok[0] = 7;
        byte[][] seen = new byte[1][];
        assertEquals(ok.length, s.receive(key, new ByteArrayInputStream(ok), ok.length, head -> seen[0] = head));
        assertEquals(16, seen[0].length);
        assertEquals(7, seen[0][0]);
        assertArrayEquals(ok, s.get(key).orElseThrow());
        assertEquals(List.of(dir.resolve("data/files/input/1/20260101/a.png")), files(dir));
    }

    /** A body that never ends: a limit that buffered it first would never return. */
    private static InputStream endless() {
        return new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
    }

    @Test
    void signedUrlsSayWhatTheyAllowAndExpire() {
        LocalStorage s = (LocalStorage) storage();
        Storage.PresignedRequest put =
                s.presignPut("input/1/20260101/a.png", "image/png", 1234, Duration.ofMinutes(15));
        assertEquals("PUT", put.method());
        assertEquals(Instant.parse("2026-01-01T00:15:00Z"), put.expiresAt());
        assertEquals(java.util.Map.of("Content-Type", "image/png"), put.headers());
        String q = put.url().getRawQuery();
        assertTrue(
                put.url().toString().startsWith("https://api.example.com/files/input/1/20260101/a.png?"),
                put.url().toString());
        String sig = q.substring(q.indexOf("sig=") + 4);
        FileSignatures.Grant grant = new FileSignatures.Grant(
                "PUT", "input/1/20260101/a.png", put.expiresAt().getEpochSecond(), "image/png", 1234);
        assertEquals(Optional.empty(), s.signatures().problem(grant, sig));
        // any other method, key, type, limit or expiry breaks it
        for (FileSignatures.Grant other : List.of(
                new FileSignatures.Grant("GET", grant.key(), grant.expires(), grant.contentType(), grant.maxLength()),
                new FileSignatures.Grant(
                        "PUT", "input/2/20260101/a.png", grant.expires(), grant.contentType(), grant.maxLength()),
                new FileSignatures.Grant(
                        "PUT", grant.key(), grant.expires() + 1, grant.contentType(), grant.maxLength()),
                new FileSignatures.Grant("PUT", grant.key(), grant.expires(), "image/jpeg", grant.maxLength()),
                new FileSignatures.Grant("PUT", grant.key(), grant.expires(), grant.contentType(), 99_999_999))) {
            assertEquals(Optional.of("bad signature"), s.signatures().problem(other, sig), other.toString());
        }
        FileSignatures later = new FileSignatures(SECRET, Clock.offset(CLOCK, Duration.ofMinutes(16)));
        assertEquals(Optional.of("expired"), later.problem(grant, sig));
        FileSignatures otherKey = new FileSignatures(
                "another-secret-of-32-bytes-or-more!".getBytes(java.nio.charset.StandardCharsets.UTF_8), CLOCK);
        assertEquals(Optional.of("bad signature"), otherKey.problem(grant, sig));

        URI get = s.presignGet("output/9/matting.png", Duration.ofHours(1));
        assertTrue(
                get.toString().startsWith("https://api.example.com/files/output/9/matting.png?expires=1767229200&sig="),
                get.toString());
    }
}
