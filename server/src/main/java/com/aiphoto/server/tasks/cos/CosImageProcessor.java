package com.aiphoto.server.tasks.cos;

import com.aiphoto.core.storage.CosObjectStorage;
import java.util.List;

/**
 * basic_clean on COS: Tencent Cloud image processing (cos_api's processImage with PicOperations) writes the
 * three outputs next to each other under the task's output prefix.
 */
public final class CosImageProcessor {
    public CosImageProcessor(CosObjectStorage storage) {}

    /**
     * Processes {@code inputKey} into {@code outputPrefix + "matting.png"}, {@code "white-bg.png"} and
     * {@code "enhanced.png"} ({@code outputPrefix} is {@code output/<taskId>/}) and returns those three keys
     * in that order, as COS's UploadResult reports them.
     *
     * @throws com.aiphoto.server.tasks.ProviderException transient (network, 5xx) or permanent (4xx, bad input)
     */
    public List<String> basicClean(String inputKey, String outputPrefix) {
        throw new UnsupportedOperationException("not built yet");
    }
}
