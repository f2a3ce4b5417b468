package com.aiphoto.server.tasks.imaging;

/**
 * basic_clean on local storage: the server's own image processing, producing what Tencent Cloud's image
 * processing produces on COS.
 */
public final class BasicCleanImages {
    /** The three outputs, each PNG bytes: the cut-out (transparent background), on white, and enhanced. */
    public record Outputs(byte[] matting, byte[] whiteBackground, byte[] enhanced) {}

    public BasicCleanImages() {}

    /**
     * Processes one input image (JPEG, PNG or WebP bytes).
     *
     * @throws ImagingException the bytes are not a readable image, or too large to process (permanent)
     */
    public Outputs process(byte[] input) {
        throw new UnsupportedOperationException("not built yet");
    }
}
