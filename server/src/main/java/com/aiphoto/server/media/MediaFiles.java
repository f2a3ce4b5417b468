package com.aiphoto.server.media;

import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.core.storage.StorageKeys;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * What later features (tasks, results) need from media: whether a key is one of a user's uploaded inputs, and
 * the expiring signed URL through which clients read any object.
 */
public final class MediaFiles {
    private final Storage storage;
    private final Duration readTtl;

    MediaFiles(Storage storage, Duration readTtl) {
        this.storage = storage;
        this.readTtl = readTtl;
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

    /** A signed GET URL for {@code key} valid for the configured MEDIA_READ_URL_TTL. */
    public URI readUrl(String key) {
        return readUrl(key, readTtl);
    }

    /** A signed GET URL for {@code key} valid for {@code ttl}. */
    public URI readUrl(String key, Duration ttl) {
        return storage.presignGet(key, ttl);
    }
}
