package com.aiphoto.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Object storage as the product uses it: Tencent COS ({@link CosObjectStorage}) or files under DATA_DIR
 * ({@link LocalStorage}). Every key passes {@link StorageKeys#require} before it reaches either, so a key can never
 * name something outside the bucket or the storage directory. Failures other than "no such object" are
 * {@link StorageException}s.
 */
public interface Storage {
    /** What HEAD tells about an object. */
    record ObjectInfo(long size, String contentType) {}

    /**
     * A request the client makes itself, without our credentials: send {@code method} to {@code url} with exactly
     * {@code headers} before {@code expiresAt}.
     */
    record PresignedRequest(URI url, String method, Map<String, String> headers, Instant expiresAt) {}

    /** Stores {@code data} under {@code key}, replacing what was there. */
    void put(String key, byte[] data, String contentType);

    /** The object's bytes, or empty when there is none. */
    Optional<byte[]> get(String key);

    /** At most the first {@code n} bytes (content sniffing without reading a whole image), or empty. */
    Optional<byte[]> head(String key, int n);

    /** Size and type, or empty when there is no such object. */
    Optional<ObjectInfo> stat(String key);

    /** Copies {@code from} to {@code to} inside this storage; false when {@code from} does not exist. */
    boolean copy(String from, String to);

    /** Deletes the object; deleting a missing one is no error. */
    void delete(String key);

    /**
     * A PUT the client sends straight to the storage: exactly {@code contentType} and at most {@code maxLength}
     * bytes, valid for {@code ttl}.
     */
    PresignedRequest presignPut(String key, String contentType, long maxLength, Duration ttl);

    /** A GET URL for {@code key} valid for {@code ttl}. */
    URI presignGet(String key, Duration ttl);

    /** Reads all of {@code in}, failing as a storage error. */
    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("read failed", e);
        }
    }
}
