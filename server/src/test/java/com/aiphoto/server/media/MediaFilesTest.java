package com.aiphoto.server.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.storage.Storage;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/** Read URLs expire on a grid: the same URL within a step, signed once per step, never shorter than the TTL. */
class MediaFilesTest {
    private static final Duration TTL = Duration.ofHours(1);

    /** Signs like a real storage (the expiry, from its own clock, is in the URL) and records each call. */
    private static final class SigningStorage implements Storage {
        final MutableClock clock;
        final List<Duration> signed = new ArrayList<>();

        SigningStorage(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public URI presignGet(String key, Duration ttl) {
            signed.add(ttl);
            return URI.create("https://files.test/" + key + "?expires="
                    + clock.instant().plus(ttl).getEpochSecond());
        }

        @Override
        public void put(String key, byte[] data, String contentType) {}

        @Override
        public Optional<byte[]> get(String key) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> head(String key, int n) {
            return Optional.empty();
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            return Optional.empty();
        }

        @Override
        public boolean copy(String from, String to) {
            return false;
        }

        @Override
        public void delete(String key) {}

        @Override
        public PresignedRequest presignPut(String key, String contentType, long maxLength, Duration ttl) {
            return new PresignedRequest(URI.create("https://files.test/" + key), "PUT", Map.of(), Instant.EPOCH);
        }
    }

    private static long expiresOf(URI uri) {
        return Long.parseLong(uri.getQuery().substring("expires=".length()));
    }

    @Test
    void theSameUrlThroughoutAGridStepSignedOnceAndValidForAtLeastTheTtl() {
        // 10 s into a 10-minute step of the grid (TTL / 6); a step runs from just after one grid point to the next
        MutableClock clock = MutableClock.of(Instant.ofEpochSecond(1_800_000_000L + 10), ZoneOffset.UTC);
        SigningStorage storage = new SigningStorage(clock);
        MediaFiles files = new MediaFiles(storage, TTL, clock);

        URI first = files.readUrl("result/t1/0.png");
        long step = TTL.toSeconds() / 6;
        long expires = expiresOf(first);
        assertEquals(0, expires % step, "expires on the grid: " + first);
        long left = expires - clock.instant().getEpochSecond();
        assertTrue(left >= TTL.toSeconds() && left <= TTL.toSeconds() + step, "valid for " + left + " s");

        clock.add(Duration.ofSeconds(step - 10)); // the last second of the step
        assertEquals(first, files.readUrl("result/t1/0.png"), "same URL within the step");
        assertEquals(1, storage.signed.size(), "signed once for the step: " + storage.signed);
        long stillLeft = expiresOf(first) - clock.instant().getEpochSecond();
        assertTrue(stillLeft >= TTL.toSeconds(), "a cached URL still has the TTL ahead: " + stillLeft + " s");

        URI other = files.readUrl("result/t1/1.png");
        assertNotEquals(first, other, "another object, another URL");

        clock.add(Duration.ofSeconds(1)); // the next step
        URI next = files.readUrl("result/t1/0.png");
        assertEquals(expires + step, expiresOf(next), "the next step's URL expires one step later");
        assertEquals(3, storage.signed.size());
    }

    @Test
    void theCacheStaysBounded() {
        MutableClock clock = MutableClock.of(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
        SigningStorage storage = new SigningStorage(clock);
        MediaFiles files = new MediaFiles(storage, TTL, clock);
        for (int i = 0; i < MediaFiles.MAX_CACHED_URLS + 10; i++) {
            files.readUrl("result/t" + i + "/0.png");
        }
        assertTrue(files.cachedUrls() <= MediaFiles.MAX_CACHED_URLS, "cached: " + files.cachedUrls());
        // a URL dropped with the cache is signed again, to the same expiry
        URI again = files.readUrl("result/t0/0.png");
        assertEquals(MediaFiles.MAX_CACHED_URLS + 11, storage.signed.size());
        assertEquals(0, expiresOf(again) % (TTL.toSeconds() / 6));
    }
}
