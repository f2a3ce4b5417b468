package com.aiphoto.server.media;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Under {@code /api/media}: upload URLs for a user's input images, and the pre-upload check of a file. */
final class MediaService implements HttpService {
    record UploadUrlRequest(String fileName, String contentType, Long size) {}

    record ValidateRequest(String fileName, Long fileSize) {}

    record UploadUrl(String key, String uploadUrl, String method, Map<String, String> headers, Instant expiresAt) {}

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final Json json;
    private final Clock clock;
    private final Authenticator auth;
    private final Storage storage;
    private final Duration uploadTtl;

    MediaService(Json json, Clock clock, Authenticator auth, Storage storage, Duration uploadTtl) {
        this.json = json;
        this.clock = clock;
        this.auth = auth;
        this.storage = storage;
        this.uploadTtl = uploadTtl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/upload-url", auth.user(this::uploadUrl)).post("/validate", auth.user(this::validate));
    }

    private void uploadUrl(User user, ServerRequest req, ServerResponse res) {
        UploadUrlRequest body = json.read(req, UploadUrlRequest.class);
        ImageTypes type = check(body.fileName(), "fileName", body.size(), "size");
        if (body.contentType() == null
                || ImageTypes.byContentType(body.contentType())
                        .filter(type::equals)
                        .isEmpty()) {
            throw ApiException.invalid("contentType", "must be " + type.contentType() + " for this file name");
        }
        String key = MediaFiles.inputPrefix(user.id()) + DAY.format(clock.instant()) + "/" + Secrets.randomHex(16) + "."
                + type.extension();
        Storage.PresignedRequest put = storage.presignPut(key, type.contentType(), body.size(), uploadTtl);
        Responses.ok(res, new UploadUrl(key, put.url().toString(), put.method(), put.headers(), put.expiresAt()));
    }

    private void validate(User user, ServerRequest req, ServerResponse res) {
        ValidateRequest body = json.read(req, ValidateRequest.class);
        check(body.fileName(), "fileName", body.fileSize(), "fileSize");
        Responses.ok(res, Map.of());
    }

    /** The type the name says, when it is jpg/png/webp and the size is 1 byte..10 MiB; 400/4001 otherwise. */
    private static ImageTypes check(String fileName, String nameField, Long size, String sizeField) {
        if (fileName == null || fileName.isBlank() || fileName.length() > 255) {
            throw ApiException.invalid(nameField, "required, at most 255 characters");
        }
        ImageTypes type = ImageTypes.byName(fileName)
                .orElseThrow(() -> ApiException.invalid(nameField, "only jpg, png and webp images"));
        if (size == null || size < 1 || size > ImageTypes.MAX_BYTES) {
            throw ApiException.invalid(sizeField, "between 1 byte and 10 MiB");
        }
        return type;
    }
}
