package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.tasks.imaging.PoseImages;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** model_pose12 without RunningHub: the local engine derives the 12 images, through the same steps. */
final class LocalPose implements Provider {
    static final int COUNT = 12;

    private final Storage storage;
    private final PoseImages images;

    LocalPose(Storage storage, PoseImages images) {
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
        List<byte[]> derived = images.derive(input, COUNT);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < derived.size(); i++) {
            String key = job.outputPrefix() + String.format(Locale.ROOT, "pose-%02d.png", i + 1);
            storage.put(key, derived.get(i), "image/png");
            keys.add(key);
        }
        return keys;
    }
}
