package com.aiphoto.core.storage;

import java.util.regex.Pattern;

/**
 * The one rule for object keys, checked before any disk or COS call: relative, '/'-separated segments of
 * letters, digits, '.', '_' and '-', none of them empty, "." or "..". That rules out absolute paths,
 * backslashes, percent-encoded forms ({@code %2e%2e}, {@code %2f}), NUL and other control characters, and
 * every spelling of traversal the file system could resolve.
 */
public final class StorageKeys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_LENGTH = 512;

    private StorageKeys() {}

    /** Whether {@code key} is a well-formed key. */
    public static boolean valid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code key}, or IllegalArgumentException naming no more than the rule (keys may come from clients). */
    public static String require(String key) {
        if (!valid(key)) {
            throw new IllegalArgumentException("not a valid storage key");
        }
        return key;
    }
}
