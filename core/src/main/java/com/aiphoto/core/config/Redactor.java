package com.aiphoto.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks the values of secret settings in text about to be printed. Messages are written not to contain
 * secrets; this is the net under them (a value quoted in an error, a secret pasted into the wrong key).
 */
public final class Redactor {
    /** Shorter values would mask ordinary words and numbers all over the output. */
    private static final int MIN_LENGTH = 6;

    private static final String MASK = "****";

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** The values of the secret-looking keys of {@code settings}. */
    public static Redactor of(Settings settings) {
        return of(settings.keys().stream()
                .filter(ConfigCheck::isSecretKey)
                .map(k -> settings.find(k).orElse(""))
                .toList());
    }

    /** These values (shorter ones than six characters are left alone). */
    public static Redactor of(Collection<String> values) {
        return new Redactor(values.stream()
                .filter(v -> v != null && v.length() >= MIN_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()) // a secret may contain another
                .toList());
    }

    public String redact(String text) {
        String result = text;
        for (String s : secrets) {
            result = result.replace(s, MASK);
        }
        return result;
    }
}
