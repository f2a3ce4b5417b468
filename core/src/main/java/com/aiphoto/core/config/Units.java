package com.aiphoto.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration ({@code 2h}, {@code 7d}, bare seconds) and size ({@code 1MiB}, {@code 50MB}) notations of the config. */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

    private Units() {}

    public static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return Optional.of(
                    switch (unit) {
                        case "ms" -> Duration.ofMillis(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        case "d" -> Duration.ofDays(n);
                        default -> Duration.ofSeconds(n);
                    });
        } catch (NumberFormatException | ArithmeticException e) { // too many digits, or beyond Duration
            return Optional.empty();
        }
    }

    public static Optional<Long> bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return Optional.of(
                    switch (unit) {
                        case "kb", "kib" -> Math.multiplyExact(n, 1024L);
                        case "mb", "mib" -> Math.multiplyExact(n, 1024L * 1024);
                        case "gb", "gib" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
                        default -> n;
                    });
        } catch (NumberFormatException | ArithmeticException e) { // too many digits, or overflow
            return Optional.empty();
        }
    }
}
