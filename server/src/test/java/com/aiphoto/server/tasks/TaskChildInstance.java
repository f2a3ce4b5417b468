package com.aiphoto.server.tasks;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.payments.PaymentsModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A server instance in its own JVM for {@link TaskInstanceKilledMariaDbTest}: its provider submits and polls, then
 * blocks in fetch after writing a marker file (its outputs are those {@link ScriptedProvider} fetches), so the test can halt this JVM mid-step. Arguments: the data
 * directory and a properties file of settings. Prints {@code PORT <n>} when serving.
 */
final class TaskChildInstance {
    private TaskChildInstance() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[1]))) {
            props.load(r);
        }
        Map<String, String> settings = new HashMap<>();
        props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k)));
        Path marker = dir.resolve("fetching");
        Provider blocking = new Provider() {
            @Override
            public String submit(Job job) {
                return "child-" + job.taskId();
            }

            @Override
            public Progress poll(Job job, String vendorTaskId) {
                return new Progress.Done(JsonNodeFactory.instance.arrayNode().add("result.png"));
            }

            @Override
            public List<String> fetch(Job job, String vendorTaskId, JsonNode outputs) {
                try {
                    Files.writeString(marker, job.taskId());
                    Thread.sleep(Long.MAX_VALUE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw ProviderException.transientFailure("interrupted");
            }
        };
        AiPhotoServer.Running server = TestServers.start(
                dir,
                settings,
                PaymentsModule::create,
                (p, auth, files, credentials) -> TasksModule.create(p, auth, files, t -> blocking));
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
