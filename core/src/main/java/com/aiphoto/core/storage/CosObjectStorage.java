package com.aiphoto.core.storage;

import com.qcloud.cos.COSClient;
import com.qcloud.cos.exception.CosClientException;
import com.qcloud.cos.exception.CosServiceException;
import com.qcloud.cos.http.HttpMethodName;
import com.qcloud.cos.model.COSObject;
import com.qcloud.cos.model.GetObjectRequest;
import com.qcloud.cos.model.ObjectMetadata;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Storage} on a Tencent COS bucket through {@code cos_api}, with the client {@link CosStorage} configures
 * (so COS_ENDPOINT reroutes it to a local fake in tests). Presigned URLs are signed locally by the SDK (COS
 * signature v5 in the query string); a presigned PUT also signs its Content-Type and Content-Length, so COS
 * refuses a body of another type or size than the one the server agreed to.
 */
public final class CosObjectStorage implements Storage, AutoCloseable {
    private final CosStorage config;
    private final COSClient client;
    private final Clock clock;

    public CosObjectStorage(CosStorage config, Clock clock) {
        this.config = config;
        this.client = config.client();
        this.clock = clock;
    }

    public CosStorage config() {
        return config;
    }

    /**
     * The SDK client this storage owns (and shuts down on {@link #close}), for bucket calls beyond
     * {@link Storage}: the server's COS image processing.
     */
    public COSClient client() {
        return client;
    }

    @Override
    public void put(String key, byte[] data, String contentType) {
        ObjectMetadata meta = new ObjectMetadata();
        meta.setContentLength(data.length);
        meta.setContentType(contentType);
        call(() -> client.putObject(config.bucket(), StorageKeys.require(key), new ByteArrayInputStream(data), meta));
    }

    @Override
    public Optional<byte[]> get(String key) {
        return read(new GetObjectRequest(config.bucket(), StorageKeys.require(key)));
    }

    @Override
    public Optional<byte[]> head(String key, int n) {
        GetObjectRequest req = new GetObjectRequest(config.bucket(), StorageKeys.require(key));
        req.setRange(0, n - 1L);
        return read(req);
    }

    private Optional<byte[]> read(GetObjectRequest req) {
        return missingAsEmpty(() -> {
            COSObject object = client.getObject(req);
            return Storage.readAll(object.getObjectContent());
        });
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return missingAsEmpty(() -> {
            ObjectMetadata meta = client.getObjectMetadata(config.bucket(), StorageKeys.require(key));
            return new ObjectInfo(meta.getContentLength(), meta.getContentType());
        });
    }

    @Override
    public boolean copy(String from, String to) {
        StorageKeys.require(from);
        StorageKeys.require(to);
        return missingAsEmpty(() -> client.copyObject(config.bucket(), from, config.bucket(), to))
                .isPresent();
    }

    @Override
    public void delete(String key) {
        call(() -> {
            client.deleteObject(config.bucket(), StorageKeys.require(key));
            return null;
        });
    }

    @Override
    public PresignedRequest presignPut(String key, String contentType, long maxLength, Duration ttl) {
        Instant expires = expiry(ttl);
        URL url = client.generatePresignedUrl(
                config.bucket(),
                StorageKeys.require(key),
                Date.from(expires),
                HttpMethodName.PUT,
                Map.of("Content-Type", contentType, "Content-Length", Long.toString(maxLength)),
                Map.of());
        return new PresignedRequest(uri(url), "PUT", Map.of("Content-Type", contentType), expires);
    }

    @Override
    public URI presignGet(String key, Duration ttl) {
        return uri(client.generatePresignedUrl(
                config.bucket(), StorageKeys.require(key), Date.from(expiry(ttl)), HttpMethodName.GET));
    }

    private Instant expiry(Duration ttl) {
        return clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    }

    private static URI uri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new StorageException("the SDK made an invalid URL", e);
        }
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (CosClientException e) {
            // CosServiceException included: the message names the bucket operation, never the credentials
            throw new StorageException("COS request failed: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> missingAsEmpty(Supplier<T> op) {
        try {
            return Optional.of(op.get());
        } catch (CosServiceException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("COS request failed: " + e.getErrorCode(), e);
        } catch (CosClientException e) {
            throw new StorageException("COS request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
