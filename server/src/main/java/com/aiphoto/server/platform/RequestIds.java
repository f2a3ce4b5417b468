package com.aiphoto.server.platform;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** {@code X-Request-Id}: kept from the caller when it is a sane token (nginx sets one), else generated. */
public final class RequestIds {
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

    private RequestIds() {}

    public static String fromOrNew(Headers headers) {
        return headers.first(HEADER).filter(RequestIds::isSane).orElseGet(RequestIds::generate);
    }

    public static boolean isSane(String id) {
        return SANE.matcher(id).matches();
    }

    /**
     * 96 random bits: unique, not secret (the id is echoed to the client), so no SecureRandom, whose shared
     * instance serialised every request on a lock and a read of /dev/urandom (seen in a JFR profile).
     */
    public static String generate() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The id of the request being handled on this thread, when there is one. */
    public static Optional<String> current() {
        return Optional.ofNullable(org.slf4j.MDC.get(RequestFilter.MDC_KEY));
    }
}
