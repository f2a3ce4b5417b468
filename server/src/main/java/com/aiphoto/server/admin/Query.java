package com.aiphoto.server.admin;

import com.aiphoto.server.platform.ApiException;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.Set;

/**
 * The query parameters of the admin lists, checked: a bad value is 400/4001 naming the parameter, never a 500 or a
 * silently ignored filter.
 */
final class Query {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    /** Deep offsets make the database skip that many rows; past this, narrow the filters instead. */
    static final int MAX_OFFSET = 100_000;

    /** {@code limit} 1..100 (default 20) and {@code offset} 0..100000 (default 0). */
    record Page(int limit, int offset) {}

    private final ServerRequest req;

    Query(ServerRequest req) {
        this.req = req;
    }

    Page page() {
        return new Page(
                integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT),
                integer("offset", 0, MAX_OFFSET).orElse(0));
    }

    Optional<String> string(String name) {
        Optional<String> v = req.query().first(name).asOptional();
        if (v.isPresent() && v.get().isBlank()) {
            throw ApiException.invalid(name, "must not be empty");
        }
        return v;
    }

    Optional<String> oneOf(String name, Set<String> allowed) {
        Optional<String> v = string(name);
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw ApiException.invalid(
                    name, "unknown value (one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        return v;
    }

    Optional<Integer> integer(String name, int min, int max) {
        return string(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw ApiException.invalid(name, "must be " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.invalid(name, "must be an integer " + min + ".." + max);
            }
        });
    }

    Optional<Long> id(String name) {
        return string(name).map(v -> parseId(name, v));
    }

    Optional<Boolean> bool(String name) {
        return oneOf(name, Set.of("true", "false")).map(Boolean::parseBoolean);
    }

    static long parseId(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw ApiException.invalid(name, "must be a positive id");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a positive id");
        }
    }
}
