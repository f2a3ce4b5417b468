package com.aiphoto.server.tasks.imaging;

/** The input cannot be processed (not an image, unsupported, too large): retrying will not help. */
public final class ImagingException extends RuntimeException {
    public ImagingException(String message) {
        super(message);
    }

    public ImagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
