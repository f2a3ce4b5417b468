package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.tasks.runninghub.RunningHubClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * model_pose12 through RunningHub's AI app: submit uploads the input and starts the run with our webhook URL; poll
 * asks {@code /outputs} (a webhook only moves the poll to now: it is unsigned); fetch copies the outputs into
 * {@code output/<taskId>/}.
 */
final class RunningHubPose implements Provider {
    private final Storage storage;
    private final RunningHubClient client;

    RunningHubPose(Storage storage, RunningHubClient client) {
        this.storage = storage;
        this.client = client;
    }

    @Override
    public String submit(Job job) {
        byte[] input =
                storage.get(job.inputKey()).orElseThrow(() -> ProviderException.permanent("the input image is gone"));
        String ext =
                ImageTypes.byName(job.inputKey()).map(ImageTypes::extension).orElse("png");
        String fileName = client.upload(input, "input." + ext);
        return client.run(fileName, job.params().scene(), job.params().category(), job.webhookUrl());
    }

    @Override
    public Progress poll(Job job, String vendorTaskId) {
        return switch (client.outputs(vendorTaskId)) {
            case RunningHubClient.Outputs.Queued q -> new Progress.Running();
            case RunningHubClient.Outputs.Running r -> new Progress.Running();
            case RunningHubClient.Outputs.Failed f -> new Progress.Failed("RunningHub: " + f.reason());
            case RunningHubClient.Outputs.Done d -> {
                if (d.files().isEmpty()) {
                    yield new Progress.Failed("RunningHub returned no images");
                }
                ArrayNode files = JsonNodeFactory.instance.arrayNode();
                d.files().forEach(f -> files.add(f.toString()));
                yield new Progress.Done(files);
            }
        };
    }

    @Override
    public List<String> fetch(Job job, String vendorTaskId, JsonNode outputs) {
        if (outputs == null || !outputs.isArray() || outputs.isEmpty()) {
            throw ProviderException.permanent("no RunningHub outputs recorded");
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            byte[] image = client.download(URI.create(outputs.get(i).asText()));
            ImageTypes type = ImageTypes.sniff(image)
                    .orElseThrow(() -> ProviderException.permanent("a RunningHub output is not an image"));
            String key = job.outputPrefix() + String.format(Locale.ROOT, "pose-%02d.%s", i + 1, type.extension());
            storage.put(key, image, type.contentType());
            keys.add(key);
        }
        return keys;
    }
}
