package com.aiphoto.server.media;

import com.aiphoto.core.storage.FileSignatures;
import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.LocalStorage;
import com.aiphoto.core.storage.StorageKeys;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Local storage's {@code PUT /files/<key>} and {@code GET /files/<key>}: only with a valid, unexpired signature
 * from {@link LocalStorage#presignPut}/{@link LocalStorage#presignGet}. An upload must carry the signed
 * Content-Type, stay within the signed length (checked while streaming: nothing larger is ever buffered) and
 * start with the bytes of the image type its key names; otherwise 4xx and nothing is written.
 */
final class FileService implements HttpService {
    private final LocalStorage storage;

    FileService(LocalStorage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/*", this::put).get("/*", this::get);
    }

    /** The key as sent: raw, so an encoded {@code %2e%2e} or {@code %2f} stays visible and is refused. */
    private static String key(ServerRequest req) {
        String raw = req.prologue().uriPath().rawPath();
        String key = raw.startsWith(LocalStorage.FILES_PATH) ? raw.substring(LocalStorage.FILES_PATH.length()) : "";
        if (!StorageKeys.valid(key)) {
            throw ApiException.invalid("key", "not a valid file key");
        }
        return key;
    }

    private FileSignatures.Grant grant(ServerRequest req, String method, String key, boolean upload) {
        try {
            long expires = Long.parseLong(req.query().get("expires"));
            String type = upload ? req.query().get("type") : "";
            long max = upload ? Long.parseLong(req.query().get("max")) : 0;
            FileSignatures.Grant g = new FileSignatures.Grant(method, key, expires, type, max);
            Optional<String> problem =
                    storage.signatures().problem(g, req.query().first("sig").orElse(null));
            if (problem.isPresent()) {
                throw new ApiException(ErrorCode.FORBIDDEN, "file URL " + problem.get());
            }
            return g;
        } catch (RuntimeException e) {
            if (e instanceof ApiException) {
                throw e;
            }
            // a missing or malformed parameter: the URL was not one we signed
            throw new ApiException(ErrorCode.FORBIDDEN, "file URL not signed");
        }
    }

    private void put(ServerRequest req, ServerResponse res) {
        String key = key(req);
        FileSignatures.Grant g = grant(req, "PUT", key, true);
        String sent = req.headers()
                .contentType()
                .map(HttpMediaType::mediaType)
                .map(m -> m.text())
                .orElse("");
        if (!sent.equalsIgnoreCase(g.contentType())) {
            throw ApiException.invalid("Content-Type", "must be " + g.contentType());
        }
        OptionalLong length = req.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > g.maxLength()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "body larger than the upload URL allows");
        }
        ImageTypes named = ImageTypes.byName(key).orElseThrow(() -> ApiException.invalid("key", "not an image"));
        try {
            long written = storage.receive(key, req.content().inputStream(), g.maxLength(), head -> {
                if (ImageTypes.sniff(head).filter(named::equals).isEmpty()) {
                    throw new LocalStorage.UploadRefusedException("content is not a " + named.extension(), false);
                }
            });
            Responses.ok(res, Map.of("key", key, "size", written));
        } catch (LocalStorage.UploadRefusedException e) {
            throw e.tooLarge()
                    ? new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage())
                    : ApiException.invalid("body", e.getMessage());
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        String key = key(req);
        FileSignatures.Grant g = grant(req, "GET", key, false);
        Optional<InputStream> file = storage.open(key);
        if (file.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such file");
        }
        long maxAge =
                Math.max(0, g.expires() - storage.signatures().clock().instant().getEpochSecond());
        res.header(HeaderNames.CONTENT_TYPE, LocalStorage.contentType(key));
        res.header(HeaderNames.CACHE_CONTROL, "private, max-age=" + maxAge);
        res.header("X-Content-Type-Options", "nosniff");
        try (InputStream in = file.get();
                OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
