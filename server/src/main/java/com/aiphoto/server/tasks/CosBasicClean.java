package com.aiphoto.server.tasks;

import com.aiphoto.server.tasks.cos.CosImageProcessor;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * basic_clean on COS: Tencent Cloud image processing writes the three outputs next to each other; it runs in the
 * fetch step (the same keys again on a repeat).
 */
final class CosBasicClean implements Provider {
    private final CosImageProcessor processor;

    CosBasicClean(CosImageProcessor processor) {
        this.processor = processor;
    }

    @Override
    public String submit(Job job) {
        return "cos-" + job.taskId();
    }

    @Override
    public Progress poll(Job job, String vendorTaskId) {
        return new Progress.Done(null);
    }

    @Override
    public List<String> fetch(Job job, String vendorTaskId, JsonNode outputs) {
        return processor.basicClean(job.inputKey(), job.outputPrefix());
    }
}
