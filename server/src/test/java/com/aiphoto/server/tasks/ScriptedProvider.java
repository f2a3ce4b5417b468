package com.aiphoto.server.tasks;

import com.aiphoto.core.storage.Storage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider the tests script through the task's {@code params.scene}: {@code succeed}; {@code fail-submit} and
 * {@code fail-poll} (permanent); {@code transient:N} (poll fails transiently N times, then the work is done);
 * {@code hang} (poll never returns); {@code wait} (running until {@link #finish} or a worker callback); {@code slow-} before any of them makes
 * submit take 300 ms. It counts
 * every call per task and writes one real result file, so the engine is proved without any real provider.
 */
final class ScriptedProvider implements Provider {
    /** A scene prefix: submit takes 300 ms, then the rest of the scene is the script. */
    static final String SLOW = "slow-";

    final Map<String, AtomicInteger> submits = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    final Map<String, URI> webhooks = new ConcurrentHashMap<>();
    final Map<String, Integer> pollSteps = new ConcurrentHashMap<>();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final CountDownLatch never = new CountDownLatch(1);
    private final Storage storage;
    final byte[] result;

    ScriptedProvider(Storage storage, byte[] result) {
        this.storage = storage;
        this.result = result;
    }

    /** For {@code wait}: the vendor finished the work. */
    void finish(String taskId) {
        finished.add(taskId);
    }

    static int count(Map<String, AtomicInteger> calls, String taskId) {
        AtomicInteger n = calls.get(taskId);
        return n == null ? 0 : n.get();
    }

    private static String script(Job job) {
        String scene = job.params().scene() == null ? "succeed" : job.params().scene();
        return scene.startsWith(SLOW) ? scene.substring(SLOW.length()) : scene;
    }

    @Override
    public String submit(Job job) {
        submits.computeIfAbsent(job.taskId(), k -> new AtomicInteger()).incrementAndGet();
        if (job.webhookUrl() != null) {
            webhooks.put(job.taskId(), job.webhookUrl());
        }
        pollSteps.put(job.taskId(), job.pollStepIndex());
        if (job.params().scene() != null && job.params().scene().startsWith(SLOW)) {
            try {
                Thread.sleep(300); // the vendor is slow to answer: racing runs overlap this call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (script(job).equals("fail-submit")) {
            throw ProviderException.permanent("scripted: refused the input");
        }
        return "vendor-" + job.taskId();
    }

    @Override
    public Progress poll(Job job, String vendorTaskId) {
        int n = polls.computeIfAbsent(job.taskId(), k -> new AtomicInteger()).incrementAndGet();
        if (!vendorTaskId.equals("vendor-" + job.taskId())) {
            throw new AssertionError("polled with " + vendorTaskId);
        }
        String script = script(job);
        if (script.equals("fail-poll")) {
            return new Progress.Failed("scripted: the vendor failed");
        }
        if (script.startsWith("transient:")) {
            if (n <= Integer.parseInt(script.substring("transient:".length()))) {
                throw ProviderException.transientFailure("scripted: queue full");
            }
        }
        if (script.equals("hang")) {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw ProviderException.transientFailure("scripted: interrupted");
        }
        if (script.equals("wait") && !finished.contains(job.taskId())) {
            return new Progress.Running();
        }
        return new Progress.Done(JsonNodeFactory.instance.arrayNode().add("result.png"));
    }

    @Override
    public List<String> fetch(Job job, String vendorTaskId, JsonNode outputs) {
        fetches.computeIfAbsent(job.taskId(), k -> new AtomicInteger()).incrementAndGet();
        if (outputs == null || !outputs.isArray() || outputs.isEmpty()) {
            throw new AssertionError("no outputs recorded: " + outputs);
        }
        String key = job.outputPrefix() + outputs.get(0).asText();
        storage.put(key, result, "image/png");
        return List.of(key);
    }
}
