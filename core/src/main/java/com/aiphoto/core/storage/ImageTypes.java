package com.aiphoto.core.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The image types clients may upload (jpg, png, webp), recognised by file name and by their first bytes. */
public enum ImageTypes {
    JPEG("jpg", "image/jpeg"),
    PNG("png", "image/png"),
    WEBP("webp", "image/webp");

    /** api.md: uploads up to 10 MiB. */
    public static final long MAX_BYTES = 10L * 1024 * 1024;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String extension;
    private final String contentType;

    ImageTypes(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The extension keys get ({@code jpeg} is stored as {@code jpg}). */
    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The type a file name or key ends with, ignoring case; empty for any other extension. */
    public static Optional<ImageTypes> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "jpg", "jpeg" -> Optional.of(JPEG);
            case "png" -> Optional.of(PNG);
            case "webp" -> Optional.of(WEBP);
            default -> Optional.empty();
        };
    }

    public static Optional<ImageTypes> byContentType(String contentType) {
        return Arrays.stream(values())
                .filter(t -> t.contentType.equalsIgnoreCase(contentType))
                .findFirst();
    }

    /** What the first bytes (at least 12 for WebP) say the content is, whatever it is named. */
    public static Optional<ImageTypes> sniff(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
