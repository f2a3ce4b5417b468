package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.tasks.imaging.BasicCleanImages;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * basic_clean on local storage: the server's own image processing, run in the fetch step (so a repeat rewrites the
 * same three files); submit and poll only mark the work as this instance's.
 */
final class LocalBasicClean implements Provider {
    static final List<String> NAMES = List.of("matting.png", "white-bg.png", "enhanced.png");

    private final Storage storage;
    private final BasicCleanImages images;

    LocalBasicClean(Storage storage, BasicCleanImages images) {
        this.storage = storage;
        this.images = images;
    }

    @Override
    public String submit(Job job) {
        return "local-" + job.taskId();
    }

    @Override
    public Progress poll(Job job, String vendorTaskId) {
        return new Progress.Done(null);
    }

    @Override
    public List<String> fetch(Job job, String vendorTaskId, JsonNode outputs) {
        byte[] input =
                storage.get(job.inputKey()).orElseThrow(() -> ProviderException.permanent("the input image is gone"));
        BasicCleanImages.Outputs out = images.process(input);
        List<byte[]> files = List.of(out.matting(), out.whiteBackground(), out.enhanced());
        for (int i = 0; i < NAMES.size(); i++) {
            storage.put(job.outputPrefix() + NAMES.get(i), files.get(i), "image/png");
        }
        return NAMES.stream().map(n -> job.outputPrefix() + n).toList();
    }
}
