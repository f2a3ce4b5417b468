package com.aiphoto.core.storage;

/**
 * The one rule for object keys, checked before any disk or COS call: relative, '/'-separated segments of
 * letters, digits, '.', '_' and '-', none of them empty, "." or "..". That rules out absolute paths,
 * backslashes, percent-encoded forms ({@code %2e%2e}, {@code %2f}), NUL and other control characters, and
 * every spelling of traversal the file system could resolve.
 */
public final class StorageKeys {
    private static final int MAX_SEGMENT = 128;
    private static final int MAX_LENGTH = 512;

    private StorageKeys() {}

    /**
     * Whether {@code key} is a well-formed key. One pass over the characters rather than a split and a regex per
     * segment: every URL a task list hands out checks its key (a tenth of /api/task/list's CPU with the regex).
     */
    public static boolean valid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= key.length(); i++) {
            if (i == key.length() || key.charAt(i) == '/') {
                int n = i - start;
                if (n == 0
                        || n > MAX_SEGMENT
                        || (key.charAt(start) == '.' && (n == 1 || (n == 2 && key.charAt(start + 1) == '.')))) {
                    return false;
                }
                start = i + 1;
            } else if (!allowed(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '-';
    }

    /** {@code key}, or IllegalArgumentException naming no more than the rule (keys may come from clients). */
    public static String require(String key) {
        if (!valid(key)) {
            throw new IllegalArgumentException("not a valid storage key");
        }
        return key;
    }
}
