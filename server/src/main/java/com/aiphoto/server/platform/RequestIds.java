package com.aiphoto.server.platform;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/** {@code X-Request-Id}: kept from the caller when it is a sane token (nginx sets one), else generated. */
public final class RequestIds {
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    public static String fromOrNew(Headers headers) {
        return headers.first(HEADER).filter(RequestIds::isSane).orElseGet(RequestIds::generate);
    }

    public static boolean isSane(String id) {
        return SANE.matcher(id).matches();
    }

    public static String generate() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The id of the request being handled on this thread, when there is one. */
    public static Optional<String> current() {
        return Optional.ofNullable(org.slf4j.MDC.get(RequestFilter.MDC_KEY));
    }
}
