package com.aiphoto.server.platform;

import com.aiphoto.core.config.Settings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.cors.CorsFeature;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-origin access to the API from the origins in {@code CORS_ORIGINS} (comma list), through Helidon's CORS
 * feature. Empty means same-origin only: no feature at all, so no {@code Access-Control-Allow-Origin} is ever
 * sent and a preflight is refused like any unknown OPTIONS (405). Tokens travel in {@code Authorization}, never in
 * cookies, so credentials are not allowed.
 */
public final class Cors {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private Cors() {}

    /** The feature for the API socket, or empty when {@code CORS_ORIGINS} is empty or unset. */
    public static Optional<CorsFeature> feature(Settings s) {
        List<String> origins = origins(s);
        if (origins.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CorsFeature.builder()
                .addDefaults(false)
                .sockets(Set.of(WebServer.DEFAULT_SOCKET_NAME))
                .addPath(p -> p.pathPattern("/*")
                        .allowOrigins(Set.copyOf(origins))
                        .allowMethods(METHODS)
                        // any request header: Helidon 4.5 refused a preflight naming only listed ones
                        // (its comparison of the requested list failed); the origin list is the guard
                        .allowHeaders(Set.of("*"))
                        .exposeHeaders(Set.of("X-Request-Id", "Retry-After"))
                        .allowCredentials(false)
                        .maxAge(Duration.ofHours(1)))
                .build());
    }

    static List<String> origins(Settings s) {
        return s.find("CORS_ORIGINS").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip)
                .filter(o -> !o.isEmpty())
                .toList();
    }
}
