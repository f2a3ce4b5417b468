package com.aiphoto.server.tasks.runninghub;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.aiphoto.server.tasks.ProviderException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * RunningHub's AI-app API for model_pose12. Every answer is HTTP 200 with {@code {code, msg, data}}; this client
 * turns codes into results or {@link com.aiphoto.server.tasks.ProviderException}s (421/415 queue full:
 * transient; 802/803/901: permanent). The configuration is read on every call, so a credential changed by an
 * admin takes effect without a restart.
 *
 * <p>Code mapping (RunningHub's error-code reference): transient are 415 (no dedicated instance free), 421
 * (shared queue full), 500 (RunningHub's "unknown error") and 808 (upload failed on their side); permanent are
 * 301 (invalid parameters), 380 and 901 (workflow / web app does not exist), 423 and 807 (task not found), 433
 * (workflow validation failed), 801, 802, 806, 811 (the key cannot be used), 803 (nodeInfoList does not match
 * the app), 809 (file too large) and 812 (account out of funds: the user is refunded at once rather than kept
 * waiting until the deadline). Any other non-zero code is treated as transient: the task's deadline bounds the
 * retries, and a code RunningHub adds later is more likely a passing condition than a verdict on the request.
 * Outside the envelope: HTTP 408, 429 and 5xx, timeouts, connection failures and answers that are not JSON are
 * transient; any other HTTP status (a 3xx or 4xx: a wrong {@code RUNNINGHUB_BASE_URL}) is permanent.
 *
 * <p>The key travels in the request bodies only, as RunningHub's API wants; it never appears in an exception
 * message or a log line (RunningHub's {@code msg} and {@code failedReason} are scrubbed of it too). The real API
 * checks the {@code Host} header ({@code www.runninghub.cn}); the JDK client derives it from the base URL.
 */
public final class RunningHubClient {
    /** A node input of the AI app that a run sets: {@code nodeId:fieldName} in the configuration. */
    public record Node(String nodeId, String fieldName) {
        private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

        /** Parses {@code nodeId:fieldName}, e.g. {@code 2:image}. */
        public static Node parse(String key, String value) {
            String[] parts = value.strip().split(":", -1);
            if (parts.length != 2
                    || !PART.matcher(parts[0]).matches()
                    || !PART.matcher(parts[1]).matches()) {
                throw new ConfigException(key + " must be nodeId:fieldName such as 2:image, got '" + value + "'");
            }
            return new Node(parts[0], parts[1]);
        }
    }

    /** What the client needs; where it comes from (environment or provider_credentials) is the caller's. */
    public record Config(
            URI baseUrl,
            String apiKey,
            String webappId,
            Node imageNode,
            Node sceneNode,
            Node categoryNode,
            Duration timeout) {
        /** The node defaults of {@code application.yaml} and a 30 s request timeout. */
        public Config(URI baseUrl, String apiKey, String webappId) {
            this(
                    baseUrl,
                    apiKey,
                    webappId,
                    DEFAULT_IMAGE_NODE,
                    DEFAULT_SCENE_NODE,
                    DEFAULT_CATEGORY_NODE,
                    DEFAULT_TIMEOUT);
        }

        /**
         * RunningHub as configured ({@code RUNNINGHUB_*}), or empty when {@code RUNNINGHUB_API_KEY} is unset (the
         * local engine makes the images then). A key without a web app id, or a malformed node, stops the start
         * with a message naming the key (never the API key's value).
         */
        public static Optional<Config> from(Settings s) {
            return from(s, false);
        }

        /**
         * Like {@link #from(Settings)}, also when only {@code keyStored} (provider_credentials holds RunningHub's
         * key): the API key is then the environment's or null, for the caller to replace per call.
         */
        public static Optional<Config> from(Settings s, boolean keyStored) {
            Optional<String> key = s.find("RUNNINGHUB_API_KEY");
            if (key.isEmpty() && !keyStored) {
                return Optional.empty();
            }
            String webapp = s.find("RUNNINGHUB_WEBAPP_ID")
                    .orElseThrow(() -> new ConfigException(
                            "RUNNINGHUB_WEBAPP_ID is required when RUNNINGHUB_API_KEY is set or stored"));
            if (!WEBAPP_ID.matcher(webapp).matches()) {
                throw new ConfigException(
                        "RUNNINGHUB_WEBAPP_ID must be the AI app's id (digits), got '" + webapp + "'");
            }
            String base = s.get("RUNNINGHUB_BASE_URL");
            URI baseUrl;
            try {
                baseUrl = new URI(base);
            } catch (URISyntaxException e) {
                throw new ConfigException("RUNNINGHUB_BASE_URL is not a URL: '" + base + "'");
            }
            if (!httpUrl(baseUrl)) {
                throw new ConfigException("RUNNINGHUB_BASE_URL must be an http(s) URL, got '" + base + "'");
            }
            Duration timeout = s.duration("RUNNINGHUB_TIMEOUT");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new ConfigException("RUNNINGHUB_TIMEOUT must be positive");
            }
            return Optional.of(new Config(
                    baseUrl,
                    key.orElse(null),
                    webapp,
                    Node.parse("RUNNINGHUB_IMAGE_NODE", s.get("RUNNINGHUB_IMAGE_NODE")),
                    Node.parse("RUNNINGHUB_SCENE_NODE", s.get("RUNNINGHUB_SCENE_NODE")),
                    Node.parse("RUNNINGHUB_CATEGORY_NODE", s.get("RUNNINGHUB_CATEGORY_NODE")),
                    timeout));
        }

        /** This configuration with another endpoint and API key (stored credentials). */
        public Config withCredentials(URI endpoint, String key) {
            return new Config(endpoint, key, webappId, imageNode, sceneNode, categoryNode, timeout);
        }

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

    static final Node DEFAULT_IMAGE_NODE = new Node("2", "image");
    static final Node DEFAULT_SCENE_NODE = new Node("3", "text");
    static final Node DEFAULT_CATEGORY_NODE = new Node("4", "text");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The API's answers are small; anything larger is not one of them. */
    static final int MAX_ANSWER = 1024 * 1024;
    /** RunningHub's own limit for a file is 30 MB; an output beyond this is refused. */
    static final int MAX_DOWNLOAD = 50 * 1024 * 1024;
    /** How much of RunningHub's {@code msg} or {@code failedReason} we keep. */
    static final int MAX_REASON = 300;

    static final Set<Integer> TRANSIENT_CODES = Set.of(415, 421, 500, 808);
    static final Set<Integer> PERMANENT_CODES = Set.of(301, 380, 423, 433, 801, 802, 803, 806, 807, 809, 811, 812, 901);

    private static final Pattern WEBAPP_ID = Pattern.compile("[0-9]{1,32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Config> config;
    private final ObjectMapper mapper = new ObjectMapper();
    // API calls never follow redirects (a redirect means a wrong base URL, and a POST must not be replayed
    // elsewhere); output files may sit behind a CDN that redirects
    private final HttpClient api;
    private final HttpClient files;

    public RunningHubClient(Supplier<Config> config) {
        this.config = config;
        this.api = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.files = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** {@code /task/openapi/upload}: returns the {@code fileName} to use as the image node's value. */
    public String upload(byte[] image, String fileName) {
        Config c = config.get();
        String boundary = "----aiphoto" + HexFormat.of().formatHex(randomBytes(12));
        Multipart form = new Multipart(boundary)
                .field("apiKey", c.apiKey())
                .field("fileType", "input")
                .file("file", safeFileName(fileName), contentType(fileName), image);
        HttpRequest request = HttpRequest.newBuilder(resolve(c, "/task/openapi/upload"))
                .timeout(c.timeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()))
                .build();
        JsonNode answer = call(c, request, "upload");
        int code = code(answer, "upload");
        if (code != 0) {
            throw failure(c, "upload", code, answer);
        }
        String name = answer.path("data").path("fileName").asText("");
        if (name.isBlank() || name.length() > 512) {
            throw ProviderException.transientFailure("RunningHub upload: answer without data.fileName");
        }
        return name;
    }

    /** {@code /task/openapi/ai-app/run}: starts a run and returns RunningHub's taskId. */
    public String run(String imageFileName, String scene, String category, URI webhookUrl) {
        Config c = config.get();
        ObjectNode body = mapper.createObjectNode();
        body.put("webappId", c.webappId()); // a string: the ids exceed what JavaScript clients keep exact
        body.put("apiKey", c.apiKey());
        ArrayNode nodes = body.putArray("nodeInfoList");
        node(nodes, c.imageNode(), imageFileName);
        node(nodes, c.sceneNode(), scene);
        node(nodes, c.categoryNode(), category);
        if (webhookUrl != null) {
            body.put("webhookUrl", webhookUrl.toString());
        }
        JsonNode answer = call(c, json(c, "/task/openapi/ai-app/run", body), "run");
        int code = code(answer, "run");
        if (code != 0) {
            throw failure(c, "run", code, answer);
        }
        JsonNode taskId = answer.path("data").path("taskId");
        String id = taskId.isNumber() ? taskId.asText() : taskId.asText("");
        if (!id.matches("[A-Za-z0-9_-]{1,128}")) {
            // accepted but unusable: we cannot follow it, and resubmitting could run (and bill) it twice
            throw ProviderException.permanent("RunningHub run: answer without a usable data.taskId");
        }
        return id;
    }

    /** {@code /task/openapi/outputs} for a run started by {@link #run}. */
    public Outputs outputs(String vendorTaskId) {
        Config c = config.get();
        ObjectNode body = mapper.createObjectNode();
        body.put("apiKey", c.apiKey());
        body.put("taskId", vendorTaskId);
        JsonNode answer = call(c, json(c, "/task/openapi/outputs", body), "outputs");
        int code = code(answer, "outputs");
        return switch (code) {
            case 0 -> done(answer);
            case 813 -> new Outputs.Queued();
            case 804 -> new Outputs.Running();
            case 805 -> new Outputs.Failed(failedReason(c, answer));
            default -> throw failure(c, "outputs", code, answer);
        };
    }

    /** Downloads one output file (a URL from {@link Outputs.Done}). */
    public byte[] download(URI file) {
        Config c = config.get();
        if (file == null || !httpUrl(file)) {
            throw ProviderException.permanent("RunningHub output is not an http(s) URL");
        }
        HttpRequest request =
                HttpRequest.newBuilder(file).timeout(c.timeout()).GET().build();
        HttpResponse<byte[]> res = send(files, request, c.timeout(), MAX_DOWNLOAD, "download");
        int status = res.statusCode();
        if (status == 200) {
            if (res.body().length == 0) {
                throw ProviderException.transientFailure("RunningHub download: empty file");
            }
            return res.body();
        }
        // 404: a CDN that does not have the file yet; the deadline bounds the retries
        if (status == 404 || transientStatus(status)) {
            throw ProviderException.transientFailure("RunningHub download: HTTP " + status);
        }
        throw ProviderException.permanent("RunningHub download: HTTP " + status);
    }

    private static void node(ArrayNode nodes, Node node, String value) {
        ObjectNode n = nodes.addObject();
        n.put("nodeId", node.nodeId());
        n.put("fieldName", node.fieldName());
        n.put("fieldValue", value == null ? "" : value);
    }

    private HttpRequest json(Config c, String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON request", e); // an ObjectNode always serialises
        }
        return HttpRequest.newBuilder(resolve(c, path))
                .timeout(c.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    private static URI resolve(Config c, String path) {
        String base = c.baseUrl().toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    /** Sends an API request and parses the envelope; everything outside the envelope is mapped here. */
    private JsonNode call(Config c, HttpRequest request, String what) {
        HttpResponse<byte[]> res = send(api, request, c.timeout(), MAX_ANSWER, what);
        int status = res.statusCode();
        if (status != 200) {
            String message = "RunningHub " + what + ": HTTP " + status;
            throw transientStatus(status)
                    ? ProviderException.transientFailure(message)
                    : ProviderException.permanent(message);
        }
        try {
            JsonNode answer = mapper.readTree(res.body());
            if (answer == null || !answer.isObject()) {
                throw ProviderException.transientFailure("RunningHub " + what + ": answer is not a JSON object");
            }
            return answer;
        } catch (IOException e) {
            // a proxy's HTML error page, a truncated answer: RunningHub itself always answers JSON
            throw ProviderException.transientFailure("RunningHub " + what + ": answer is not JSON");
        }
    }

    private static boolean httpUrl(URI u) {
        return ("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null;
    }

    private static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * The exchange, bounded in time as a whole (connect + headers by the request timeout, the body by the same
     * deadline here) and in size.
     */
    private static HttpResponse<byte[]> send(
            HttpClient client, HttpRequest request, Duration timeout, int maxBytes, String what) {
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request, info -> new LimitedBody(maxBytes));
        try {
            return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw ProviderException.transientFailure("RunningHub " + what + ": timed out after " + timeout);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw ProviderException.transientFailure("RunningHub " + what + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LimitedBody.TooLarge) {
                throw ProviderException.permanent("RunningHub " + what + ": answer larger than " + maxBytes + " bytes");
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw ProviderException.transientFailure("RunningHub " + what + ": timed out after " + timeout);
            }
            // connection refused, reset, TLS: the exception's class says enough; its message may quote the URL
            String kind = cause == null ? "error" : cause.getClass().getSimpleName();
            throw ProviderException.transientFailure("RunningHub " + what + ": unreachable (" + kind + ")");
        }
    }

    private static int code(JsonNode answer, String what) {
        JsonNode code = answer.path("code");
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return code.asInt();
        }
        if (code.isTextual() && code.asText().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(code.asText());
        }
        throw ProviderException.transientFailure("RunningHub " + what + ": answer without a code");
    }

    private static ProviderException failure(Config c, String what, int code, JsonNode answer) {
        String message = "RunningHub " + what + ": code " + code + " "
                + scrub(c, answer.path("msg").asText(""));
        if (TRANSIENT_CODES.contains(code)) {
            return ProviderException.transientFailure(message.strip());
        }
        if (PERMANENT_CODES.contains(code)) {
            return ProviderException.permanent(message.strip());
        }
        return ProviderException.transientFailure(message.strip());
    }

    private static Outputs done(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            // code 0 before the outputs are listed: ask again later
            throw ProviderException.transientFailure("RunningHub outputs: code 0 without output files");
        }
        List<URI> urls = new ArrayList<>();
        for (JsonNode f : data) {
            String url = f.path("fileUrl").asText("");
            try {
                URI u = new URI(url);
                if (!httpUrl(u)) {
                    throw ProviderException.permanent("RunningHub outputs: a fileUrl is not an http(s) URL");
                }
                urls.add(u);
            } catch (URISyntaxException e) {
                throw ProviderException.permanent("RunningHub outputs: a fileUrl is not a URL");
            }
        }
        return new Outputs.Done(List.copyOf(urls));
    }

    /** failedReason is an object ({@code node_name}, {@code exception_message}, ...) or, in older answers, text. */
    private static String failedReason(Config c, JsonNode answer) {
        JsonNode reason = answer.path("data").path("failedReason");
        String text;
        if (reason.isObject()) {
            String node = reason.path("node_name").asText("");
            String message = reason.path("exception_message").asText("");
            if (message.isBlank()) {
                message = reason.path("exception_type").asText("");
            }
            text = (node.isBlank() ? "" : node + ": ") + message;
        } else {
            text = reason.asText("");
        }
        if (text.isBlank()) {
            text = answer.path("msg").asText("failed");
        }
        return scrub(c, text);
    }

    /** Vendor text made safe to store and show: without the key, one line, bounded. */
    static String scrub(Config c, String text) {
        String s = text;
        if (c.apiKey() != null && !c.apiKey().isEmpty()) {
            s = s.replace(c.apiKey(), "****");
        }
        s = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "..." : s;
    }

    private static String safeFileName(String name) {
        String n = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (n.isEmpty() || n.length() > 100) {
            n = "input" + extension(name);
        }
        return n;
    }

    private static String extension(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return ".png";
        }
        if (n.endsWith(".webp")) {
            return ".webp";
        }
        return ".jpg";
    }

    private static String contentType(String name) {
        return switch (extension(name)) {
            case ".png" -> "image/png";
            case ".webp" -> "image/webp";
            default -> "image/jpeg";
        };
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * A {@code multipart/form-data} body (RFC 7578): two text fields and one file are all the upload needs, which
     * does not justify a multipart library next to the JDK client.
     */
    private static final class Multipart {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart field(String name, String value) {
            head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
            write(value.getBytes(StandardCharsets.UTF_8));
            write("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Multipart file(String name, String fileName, String type, byte[] content) {
            head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: " + type + "\r\n");
            write(content);
            write("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private void head(String headers) {
            write(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        private void write(byte[] b) {
            out.writeBytes(b);
        }
    }
}
