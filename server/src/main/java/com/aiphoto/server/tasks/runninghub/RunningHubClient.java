package com.aiphoto.server.tasks.runninghub;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * RunningHub's AI-app API for model_pose12. Every answer is HTTP 200 with {@code {code, msg, data}}; this client
 * turns codes into results or {@link com.aiphoto.server.tasks.ProviderException}s (421/415 queue full:
 * transient; 802/803/901: permanent). The configuration is read on every call, so a credential changed by an
 * admin takes effect without a restart.
 */
public final class RunningHubClient {
    /** What the client needs; where it comes from (environment or provider_credentials) is the caller's. */
    public record Config(URI baseUrl, String apiKey, String webappId) {
        @Override
        public String toString() {
            return "Config[baseUrl=" + baseUrl + ", apiKey=****, webappId=" + webappId + "]";
        }
    }

    /** The state of a run, from {@code /task/openapi/outputs}. */
    public sealed interface Outputs {
        /** 813 */
        record Queued() implements Outputs {}

        /** 804 */
        record Running() implements Outputs {}

        /** 805, with RunningHub's failedReason (already shortened and free of secrets). */
        record Failed(String reason) implements Outputs {}

        /** 0: the output files' URLs, in RunningHub's order. */
        record Done(List<URI> files) implements Outputs {}
    }

    public RunningHubClient(Supplier<Config> config) {}

    /** {@code /task/openapi/upload}: returns the {@code fileName} to use as the image node's value. */
    public String upload(byte[] image, String fileName) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** {@code /task/openapi/ai-app/run}: starts a run and returns RunningHub's taskId. */
    public String run(String imageFileName, String scene, String category, URI webhookUrl) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** {@code /task/openapi/outputs} for a run started by {@link #run}. */
    public Outputs outputs(String vendorTaskId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Downloads one output file (a URL from {@link Outputs.Done}). */
    public byte[] download(URI file) {
        throw new UnsupportedOperationException("not built yet");
    }
}
