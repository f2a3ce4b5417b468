package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.StorageKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Maps an {@code inputImageUrl} a client sends to the storage key it names, when it is a URL of our own storage
 * (the signed read URLs the server hands out, or COS_IMAGE_DOMAIN). Nothing is ever fetched: any other URL maps
 * to nothing. The bases are learnt from the storage itself by signing a probe key, so the rule follows the storage
 * (local {@code API_DOMAIN/files/}, the COS bucket's host or endpoint) without a second copy of its URL format.
 */
final class InputUrls {
    private static final String PROBE = "probe/key.png";

    private record Base(String scheme, String host, int port, String pathPrefix) {}

    private final List<Base> bases = new ArrayList<>();

    /** {@code presignGet}: the storage's signed-GET function; {@code imageDomain}: COS_IMAGE_DOMAIN, if set. */
    InputUrls(BiFunction<String, Duration, URI> presignGet, Optional<String> imageDomain) {
        URI probe = presignGet.apply(PROBE, Duration.ofMinutes(1));
        String path = probe.getRawPath();
        if (path == null || !path.endsWith(PROBE)) {
            throw new IllegalStateException("cannot tell the storage's URL layout from " + probe.getHost());
        }
        bases.add(base(probe, path.substring(0, path.length() - PROBE.length())));
        imageDomain.ifPresent(d -> {
            URI u = URI.create(d.contains("://") ? d : "https://" + d);
            String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            bases.add(base(u, p.endsWith("/") ? p : p + "/"));
        });
    }

    private static Base base(URI u, String pathPrefix) {
        return new Base(
                u.getScheme().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT), port(u), pathPrefix);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    /** The key {@code url} names in our storage, or empty (not ours, malformed, encoded, not a valid key). */
    Optional<String> keyOf(String url) {
        if (url == null || url.length() > 4096) {
            return Optional.empty();
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null || u.getRawPath() == null) {
            return Optional.empty();
        }
        String path = u.getRawPath();
        for (Base b : bases) {
            if (b.scheme().equals(u.getScheme().toLowerCase(Locale.ROOT))
                    && b.host().equals(u.getHost().toLowerCase(Locale.ROOT))
                    && b.port() == port(u)
                    && path.startsWith(b.pathPrefix())) {
                String key = path.substring(b.pathPrefix().length());
                // raw path: a percent-encoded segment is never decoded into a key, it is refused
                if (StorageKeys.valid(key)) {
                    return Optional.of(key);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
