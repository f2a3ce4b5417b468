package com.aiphoto.core.db;

/** Small text helpers for values stored in bounded columns and printed on one line. */
final class Strings {
    private Strings() {}

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
