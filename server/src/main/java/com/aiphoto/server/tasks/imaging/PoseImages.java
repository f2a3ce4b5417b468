package com.aiphoto.server.tasks.imaging;

import java.util.List;

/** model_pose12 without RunningHub: the local engine derives {@code count} distinct images from the input. */
public final class PoseImages {
    public PoseImages() {}

    /**
     * PNG bytes of {@code count} images derived from {@code input} (JPEG, PNG or WebP bytes).
     *
     * @throws ImagingException the bytes are not a readable image (permanent)
     */
    public List<byte[]> derive(byte[] input, int count) {
        throw new UnsupportedOperationException("not built yet");
    }
}
