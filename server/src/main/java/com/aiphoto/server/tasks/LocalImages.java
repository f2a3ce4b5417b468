package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.tasks.imaging.BasicCleanImages;
import com.aiphoto.server.tasks.imaging.PoseImages;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A task type made by the server's own image processing instead of a vendor (basic_clean on local storage,
 * model_pose12 without RunningHub). The work runs in the fetch step, so a repeat rewrites the same files; submit and
 * poll only mark the work as this instance's, which keeps the local engine on the vendors' asynchronous path.
 */
final class LocalImages implements Provider {
    /** model_pose12's images per task. */
    static final int POSES = 12;

    /** One output: its file name under the task's output prefix and its PNG bytes. */
    record Output(String name, byte[] png) {}

    private final Storage storage;
    private final Function<byte[], List<Output>> make;

    private LocalImages(Storage storage, Function<byte[], List<Output>> make) {
        this.storage = storage;
        this.make = make;
    }

    /** basic_clean: {@code matting.png}, {@code white-bg.png}, {@code enhanced.png}. */
    static LocalImages basicClean(Storage storage, BasicCleanImages images) {
        return new LocalImages(storage, input -> {
            BasicCleanImages.Outputs out = images.process(input);
            return List.of(
                    new Output("matting.png", out.matting()),
                    new Output("white-bg.png", out.whiteBackground()),
                    new Output("enhanced.png", out.enhanced()));
        });
    }

    /** model_pose12: {@code pose-01.png} .. {@code pose-12.png}. */
    static LocalImages pose(Storage storage, PoseImages images) {
        return new LocalImages(storage, input -> {
            List<byte[]> derived = images.derive(input, POSES);
            List<Output> outputs = new ArrayList<>();
            for (int i = 0; i < derived.size(); i++) {
                outputs.add(new Output(String.format(Locale.ROOT, "pose-%02d.png", i + 1), derived.get(i)));
            }
            return outputs;
        });
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
        List<String> keys = new ArrayList<>();
        for (Output out : make.apply(input)) {
            String key = job.outputPrefix() + out.name();
            storage.put(key, out.png(), "image/png");
            keys.add(key);
        }
        return keys;
    }
}
