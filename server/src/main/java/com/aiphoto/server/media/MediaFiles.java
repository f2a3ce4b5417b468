package com.aiphoto.server.media;

import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.core.storage.StorageKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What later features (tasks, results) need from media: whether a key is one of a user's uploaded inputs, and
 * the expiring signed URL through which clients read any object.
 *
 * <p>Read URLs expire on a grid of {@code MEDIA_READ_URL_TTL / 6}: a URL handed out at any moment of one grid
 * step expires at the same instant, at least the TTL ahead (and at most a sixth more), so it is the same URL
 * until the step ends. Clients that poll a task list get the same URLs, which their HTTP caches and the CDN can
 * keep, and the server signs each object once per step instead of once per listed URL (the signing, an HMAC
 * or the COS SDK's key derivation, was a quarter of {@code /api/task/list}'s CPU).
 */
public final class MediaFiles {
    /** Above this many cached URLs the cache starts again: memory stays bounded (a few MB). */
    static final int MAX_CACHED_URLS = 10_000;

    private record Signed(URI uri, long expires) {}

    private final Storage storage;
    private final Duration readTtl;
    private final Clock clock;
    private final long stepSeconds;
    private final ConcurrentHashMap<String, Signed> readUrls = new ConcurrentHashMap<>();

    MediaFiles(Storage storage, Duration readTtl, Clock clock) {
        this.storage = storage;
        this.readTtl = readTtl;
        this.clock = clock;
        this.stepSeconds = Math.max(1, readTtl.toSeconds() / 6);
    }

    public Storage storage() {
        return storage;
    }

    /** The prefix of user {@code userId}'s inputs. */
    public static String inputPrefix(long userId) {
        return "input/" + userId + "/";
    }

    /**
     * The image type of {@code key} when it is a well-formed key under user {@code userId}'s input prefix, with an
     * image extension, it exists, and its first bytes are that image type (COS takes presigned uploads without
     * looking at them, so this is where their content is checked). Empty otherwise, whatever the reason.
     */
    public Optional<ImageTypes> ownedInput(long userId, String key) {
        if (!StorageKeys.valid(key) || !key.startsWith(inputPrefix(userId))) {
            return Optional.empty();
        }
        Optional<ImageTypes> named = ImageTypes.byName(key);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        return storage.head(key, 16).flatMap(ImageTypes::sniff).filter(named.get()::equals);
    }

    /**
     * A signed GET URL for {@code key} valid for at least the configured MEDIA_READ_URL_TTL (and at most a sixth
     * more): the same URL throughout one step of the expiry grid.
     */
    public URI readUrl(String key) {
        long now = clock.instant().getEpochSecond();
        long expires = Math.ceilDiv(now + readTtl.toSeconds(), stepSeconds) * stepSeconds;
        Signed cached = readUrls.get(key);
        if (cached != null && cached.expires() == expires) {
            return cached.uri();
        }
        // the storage adds the lifetime to its own clock's second: the same one as ours, or the next
        URI uri = storage.presignGet(key, Duration.ofSeconds(expires - now));
        if (readUrls.size() >= MAX_CACHED_URLS) {
            readUrls.clear();
        }
        readUrls.put(key, new Signed(uri, expires));
        return uri;
    }

    int cachedUrls() {
        return readUrls.size();
    }

    /** A signed GET URL for {@code key} valid for {@code ttl}. */
    public URI readUrl(String key, Duration ttl) {
        return storage.presignGet(key, ttl);
    }
}
