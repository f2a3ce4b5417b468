package com.aiphoto.server.media;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.storage.CosObjectStorage;
import com.aiphoto.core.storage.CosStorage;
import com.aiphoto.core.storage.FileSignatures;
import com.aiphoto.core.storage.LocalStorage;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.Platform;
import com.aiphoto.server.auth.Authenticator;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds media from the platform: the storage (COS when COS_BUCKET is set, else files under DATA_DIR), the
 * {@code /api/media} routes, the local storage's {@code /files} routes (none on COS), and {@link MediaFiles}
 * for the features that read inputs and hand out result URLs.
 */
public record MediaModule(MediaFiles files, HttpService api, Optional<HttpService> localFiles) {
    private static final Logger LOG = LoggerFactory.getLogger(MediaModule.class);

    public static MediaModule create(Platform p, Authenticator auth) {
        Settings s = p.settings();
        Storage storage = storage(s, p.clock());
        Optional<HttpService> localFiles =
                storage instanceof LocalStorage local ? Optional.of(new FileService(local)) : Optional.empty();
        MediaFiles files = new MediaFiles(storage, s.duration("MEDIA_READ_URL_TTL"), p.clock());
        return new MediaModule(
                files,
                new MediaService(p.json(), p.clock(), auth, storage, s.duration("MEDIA_UPLOAD_URL_TTL")),
                localFiles);
    }

    /** The storage the settings configure: COS when COS_BUCKET is set, else files under DATA_DIR. */
    public static Storage storage(Settings s, Clock clock) {
        if (s.has("COS_BUCKET")) {
            return new CosObjectStorage(CosStorage.from(s), clock);
        }
        return new LocalStorage(
                Path.of(s.get("DATA_DIR")), s.get("API_DOMAIN"), new FileSignatures(fileUrlKey(s), clock));
    }

    /**
     * Derived from INTERNAL_CALLBACK_SECRET (one secret to configure, and the callback key itself never signs a
     * URL); without it (never in production) a random key, so file URLs end with this process.
     */
    private static byte[] fileUrlKey(Settings s) {
        return s.find("INTERNAL_CALLBACK_SECRET")
                .map(secret -> Secrets.hmacSha256(
                        secret.getBytes(StandardCharsets.UTF_8), "file-urls".getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> {
                    LOG.warn("INTERNAL_CALLBACK_SECRET not set: signing file URLs with a random key (they end with"
                            + " this process)");
                    return Secrets.randomBytes(32);
                });
    }
}
