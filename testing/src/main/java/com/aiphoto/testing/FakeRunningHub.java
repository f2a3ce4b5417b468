package com.aiphoto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A local RunningHub speaking its AI-app API: {@code /task/openapi/upload} (multipart {@code apiKey},
 * {@code fileType}, {@code file}), {@code /task/openapi/ai-app/run} (JSON, {@code webappId} as a string, the
 * {@code nodeInfoList} checked against the app's nodes, the image node's value an uploaded {@code fileName}) and
 * {@code /task/openapi/outputs}. Every answer is HTTP 200 {@code {code, msg, data}}. A run follows its
 * {@link Script} (QUEUED -> RUNNING -> SUCCESS | FAILED, one state per poll or per interval); on its end the
 * fake posts RunningHub's webhook ({@code {"event":"TASK_END","taskId","eventData":"<JSON string>"}}) to the
 * run's {@code webhookUrl}, subject to the {@link WebhookMode}. A successful run lists 12 real PNGs the fake
 * serves itself under {@code /files/}. Faults on demand: queue full (421) N times, any code N times on a path.
 */
public final class FakeRunningHub extends FakeServer {
    /** The states of a run, as {@code /outputs} reports them (813, 804, 0, 805). */
    public enum State {
        QUEUED,
        RUNNING,
        SUCCESS,
        FAILED;

        boolean terminal() {
            return this == SUCCESS || this == FAILED;
        }
    }

    /** What becomes of the webhook when a run ends. */
    public enum WebhookMode {
        /** Posted once when the run ends. */
        SEND,
        /** Never posted (a lost webhook: only polling finds the end). */
        DROP,
        /** Posted twice, one after the other. */
        DUPLICATE,
        /** Held until {@link #releaseLateWebhooks()}: it arrives after whatever the test did meanwhile. */
        LATE
    }

    /**
     * How runs started from now on proceed: the states in order, the last one kept. {@code every} null means one
     * state per {@code /outputs} poll (the answer reports the current state, then the run moves on); otherwise
     * the run moves on every {@code every}, polled or not.
     */
    public record Script(List<State> states, Duration every) {
        public Script {
            states = List.copyOf(states);
            if (states.isEmpty()) {
                throw new IllegalArgumentException("a script needs a state");
            }
        }

        /** One state per poll. */
        public static Script perPoll(State... states) {
            return new Script(Arrays.asList(states), null);
        }

        /** One state per {@code every}, polled or not. */
        public static Script timed(Duration every, State... states) {
            return new Script(Arrays.asList(states), every);
        }

        /** QUEUED, RUNNING, SUCCESS, one per poll. */
        public static Script succeeds() {
            return perPoll(State.QUEUED, State.RUNNING, State.SUCCESS);
        }

        /** QUEUED, RUNNING, FAILED, one per poll. */
        public static Script fails() {
            return perPoll(State.QUEUED, State.RUNNING, State.FAILED);
        }

        /** QUEUED, then RUNNING for ever. */
        public static Script hangs() {
            return perPoll(State.QUEUED, State.RUNNING);
        }
    }

    /** One node value of a run, as sent. */
    public record NodeValue(String nodeId, String fieldName, String fieldValue) {}

    /** A run as the fake holds it. */
    public record Run(
            String taskId,
            List<NodeValue> nodes,
            String webhookUrl,
            State state,
            int polls,
            boolean webhookFired,
            Instant startedAt) {
        /** The value sent for node {@code nodeId}, if any. */
        public Optional<String> value(String nodeId) {
            return nodes.stream()
                    .filter(n -> n.nodeId().equals(nodeId))
                    .map(NodeValue::fieldValue)
                    .findFirst();
        }
    }

    /** One webhook delivery: to which URL, what the receiver answered (-1: unreachable), the body sent. */
    public record Delivery(String taskId, String url, int status, String body) {}

    public static final String WEBAPP_ID = "1937084629516193794";
    public static final String IMAGE_NODE = "2";
    public static final String SCENE_NODE = "3";
    public static final String CATEGORY_NODE = "4";
    /** How many files a successful run lists. */
    public static final int OUTPUTS = 12;

    public static final String FAILED_REASON = "CUDA out of memory";

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern FILE = Pattern.compile("/files/([0-9]+)/([0-9]{1,2})\\.png");
    private static final Set<String> NODE_FIELDS =
            Set.of(IMAGE_NODE + ":image", SCENE_NODE + ":text", CATEGORY_NODE + ":text");

    private volatile String apiKey;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<byte[]> images;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<String> shapeProblems = new CopyOnWriteArrayList<>();
    private final Set<String> uploaded = ConcurrentHashMap.newKeySet();
    private final Map<String, ConcurrentLinkedQueue<Integer>> codes = new ConcurrentHashMap<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<String> held = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1_990_000_000_000_000_000L + System.nanoTime() % 1_000_000_000L);
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-runninghub");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ScheduledFuture<?> ticker;
    private volatile Script script = Script.succeeds();
    private volatile WebhookMode webhookMode = WebhookMode.SEND;

    @SuppressWarnings("this-escape") // the ticker only reads state the constructor has set before it starts
    public FakeRunningHub(String apiKey) {
        this.apiKey = apiKey;
        this.images = outputImages();
        this.ticker = clock.scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** The server settings pointing at this fake (with the node ids it expects). */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("RUNNINGHUB_BASE_URL", endpoint());
        m.put("RUNNINGHUB_API_KEY", apiKey);
        m.put("RUNNINGHUB_WEBAPP_ID", WEBAPP_ID);
        m.put("RUNNINGHUB_IMAGE_NODE", IMAGE_NODE + ":image");
        m.put("RUNNINGHUB_SCENE_NODE", SCENE_NODE + ":text");
        m.put("RUNNINGHUB_CATEGORY_NODE", CATEGORY_NODE + ":text");
        m.put("RUNNINGHUB_TIMEOUT", "5s");
        return m;
    }

    /** From now on only {@code key} is accepted (a rotated key: the old one is refused with 802). */
    public void apiKey(String key) {
        this.apiKey = key;
    }

    /** Runs started from now on follow {@code s}. */
    public void script(Script s) {
        this.script = s;
    }

    /** Webhooks of runs ending from now on go as {@code mode} says. */
    public void webhooks(WebhookMode mode) {
        this.webhookMode = mode;
    }

    /** The next {@code times} run requests answer 421 (TASK_QUEUE_MAXED: the shared queue is full). */
    public void queueFull(int times) {
        failNext("/task/openapi/ai-app/run", 421, times);
    }

    /** The next {@code times} requests to {@code path} answer {@code code} (after the key check). */
    public void failNext(String path, int code, int times) {
        ConcurrentLinkedQueue<Integer> q = codes.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>());
        for (int i = 0; i < times; i++) {
            q.add(code);
        }
    }

    /** The 12 PNGs a successful run lists, in order. */
    public List<byte[]> images() {
        return images.stream().map(byte[]::clone).toList();
    }

    public Optional<Run> run(String taskId) {
        return Optional.ofNullable(runs.get(taskId));
    }

    public List<Run> runs() {
        return List.copyOf(runs.values());
    }

    /** The {@code fileName}s handed out by uploads. */
    public Set<String> uploads() {
        return Set.copyOf(uploaded);
    }

    /** Every webhook delivery attempt so far, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Ends run {@code taskId} now in {@code state} (SUCCESS or FAILED), firing its webhook. */
    public void finish(String taskId, State state) {
        if (!state.terminal()) {
            throw new IllegalArgumentException("not an end state: " + state);
        }
        Run r = runs.computeIfPresent(taskId, (k, v) -> withState(v, state, v.polls()));
        if (r == null) {
            throw new IllegalArgumentException("no run " + taskId);
        }
        fireIfEnded(taskId);
    }

    /** Posts the webhooks held back in {@link WebhookMode#LATE} (in order) and returns how many went. */
    public int releaseLateWebhooks() {
        List<String> due = List.copyOf(held);
        held.removeAll(due);
        due.forEach(id -> deliver(runs.get(id)));
        return due.size();
    }

    /** Posts run {@code taskId}'s webhook once more (RunningHub retries its webhooks). */
    public Delivery resendWebhook(String taskId) {
        Run r = Optional.ofNullable(runs.get(taskId))
                .orElseThrow(() -> new IllegalArgumentException("no run " + taskId));
        return deliver(r);
    }

    /** The webhook body RunningHub posts for {@code taskId}'s end. */
    public String webhookBody(String taskId) {
        Run r = Optional.ofNullable(runs.get(taskId))
                .orElseThrow(() -> new IllegalArgumentException("no run " + taskId));
        ObjectNode hook = mapper.createObjectNode();
        hook.put("event", "TASK_END");
        hook.put("taskId", taskId);
        hook.put("eventData", write(outputsAnswer(r)));
        return write(hook);
    }

    @Override
    protected Reply handle(Request request) {
        String path = request.path();
        Matcher file = FILE.matcher(path);
        if (request.method().equals("GET") && file.matches()) {
            return file(file.group(1), Integer.parseInt(file.group(2)));
        }
        if (!request.method().equals("POST")) {
            return Reply.text(405, "method not allowed");
        }
        return switch (path) {
            case "/task/openapi/upload" -> upload(request);
            case "/task/openapi/ai-app/run" -> json(request, this::run);
            case "/task/openapi/outputs" -> json(request, this::outputs);
            default -> Reply.text(404, "no such endpoint");
        };
    }

    /** A JSON endpoint: the body parsed, the key checked, scripted codes answered, then {@code then}. */
    private Reply json(Request request, java.util.function.Function<JsonNode, Reply> then) {
        JsonNode body;
        try {
            body = jsonBody(request);
        } catch (IllegalArgumentException e) {
            return envelope(301, "PARAMS_INVALID", null);
        }
        return keyAndScript(request.path(), body.path("apiKey").asText(null)).orElseGet(() -> then.apply(body));
    }

    private Reply upload(Request request) {
        String type = request.header("Content-Type").orElse("");
        Matcher m = BOUNDARY.matcher(type);
        if (!type.startsWith("multipart/form-data") || !m.find()) {
            return envelope(301, "PARAMS_INVALID", null);
        }
        Map<String, Part> parts;
        try {
            parts = parts(request.body(), m.group(1));
        } catch (IllegalArgumentException e) {
            return envelope(301, "PARAMS_INVALID", null);
        }
        Optional<Reply> refused = keyAndScript(request.path(), text(parts.get("apiKey")));
        if (refused.isPresent()) {
            return refused.get();
        }
        Part f = parts.get("file");
        if (f == null || f.fileName() == null || f.content().length == 0) {
            return envelope(301, "PARAMS_INVALID", null);
        }
        if (f.content().length > 30 * 1024 * 1024) {
            return envelope(809, "APIKEY_FILE_SIZE_EXCEEDED", null);
        }
        String ext =
                f.fileName().contains(".") ? f.fileName().substring(f.fileName().lastIndexOf('.')) : ".png";
        String name = "api/" + sha256(f.content()) + ext.toLowerCase(java.util.Locale.ROOT);
        uploaded.add(name);
        ObjectNode data = mapper.createObjectNode();
        data.put("fileName", name);
        data.put("fileType", "image");
        return envelope(0, "success", data);
    }

    private Reply run(JsonNode body) {
        JsonNode webapp = body.get("webappId");
        if (webapp == null || !webapp.isTextual()) {
            // the ids pass 2^53: a number loses digits on the way, so the fake insists on a string
            rejectedShape("webappId is not a string");
            return envelope(301, "PARAMS_INVALID", null);
        }
        if (!webapp.asText().equals(WEBAPP_ID)) {
            return envelope(901, "WEBAPP_NOT_EXISTS", null);
        }
        JsonNode list = body.get("nodeInfoList");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return envelope(301, "PARAMS_INVALID", null);
        }
        List<NodeValue> nodes = new ArrayList<>();
        for (JsonNode n : list) {
            String id = n.path("nodeId").asText("");
            String field = n.path("fieldName").asText("");
            JsonNode value = n.get("fieldValue");
            if (!NODE_FIELDS.contains(id + ":" + field) || value == null || !value.isTextual()) {
                rejectedShape("nodeInfoList entry " + id + ":" + field + " does not match the app");
                return envelope(803, "APIKEY_INVALID_NODE_INFO", null);
            }
            nodes.add(new NodeValue(id, field, value.asText()));
        }
        Optional<String> image = nodes.stream()
                .filter(n -> n.nodeId().equals(IMAGE_NODE))
                .map(NodeValue::fieldValue)
                .findFirst();
        if (image.isEmpty() || !uploaded.contains(image.get())) {
            rejectedShape("the image node's value is not an uploaded fileName");
            return envelope(803, "APIKEY_INVALID_NODE_INFO", null);
        }
        JsonNode hook = body.get("webhookUrl");
        String webhookUrl = null;
        if (hook != null && !hook.isNull()) {
            if (!hook.isTextual() || !hook.asText().matches("https?://.+")) {
                return envelope(301, "PARAMS_INVALID", null);
            }
            webhookUrl = hook.asText();
        }
        String taskId = Long.toString(ids.incrementAndGet());
        Script s = script;
        runs.put(
                taskId,
                new Run(taskId, List.copyOf(nodes), webhookUrl, s.states().get(0), 0, false, Instant.now()));
        scripts.put(taskId, s);
        ObjectNode data = mapper.createObjectNode();
        data.put("netWssUrl", (String) null);
        data.put("taskId", taskId);
        data.put("clientId", sha256(taskId.getBytes(StandardCharsets.UTF_8)).substring(0, 32));
        data.put("taskStatus", "QUEUED");
        data.put(
                "promptTips",
                "{\"result\": true, \"error\": null, \"outputs_to_execute\": [\"9\"], \"node_errors\": {}}");
        fireIfEnded(taskId);
        return envelope(0, "success", data);
    }

    private Reply outputs(JsonNode body) {
        String taskId = body.path("taskId").asText("");
        Run before = runs.get(taskId);
        if (before == null) {
            return envelope(807, "APIKEY_TASK_NOT_FOUND", null);
        }
        Script s = scripts.get(taskId);
        // report the current state, then (per-poll scripts) move on one state
        Run[] seen = new Run[1];
        runs.computeIfPresent(taskId, (k, r) -> {
            seen[0] = r;
            int next = r.polls() + 1;
            State state =
                    s.every() == null ? s.states().get(Math.min(next, s.states().size() - 1)) : r.state();
            return withState(r, r.state().terminal() ? r.state() : state, next);
        });
        fireIfEnded(taskId);
        JsonNode answer = outputsAnswer(seen[0]);
        return Reply.json(200, write(answer));
    }

    private ObjectNode outputsAnswer(Run r) {
        return switch (r.state()) {
            case QUEUED -> envelopeNode(813, "APIKEY_TASK_IS_QUEUED", null);
            case RUNNING -> envelopeNode(804, "APIKEY_TASK_IS_RUNNING", null);
            case FAILED -> {
                ObjectNode data = mapper.createObjectNode();
                ObjectNode reason = data.putObject("failedReason");
                reason.put("node_name", "KSampler");
                reason.put("exception_message", FAILED_REASON);
                reason.put("exception_type", "torch.OutOfMemoryError");
                reason.put("node_id", "3");
                reason.put("traceback", "Traceback (most recent call last): ...");
                yield envelopeNode(805, "APIKEY_TASK_STATUS_ERROR", data);
            }
            case SUCCESS -> {
                ArrayNode data = mapper.createArrayNode();
                for (int i = 1; i <= OUTPUTS; i++) {
                    ObjectNode f = data.addObject();
                    f.put("fileUrl", endpoint() + "/files/" + r.taskId() + "/" + i + ".png");
                    f.put("fileType", "png");
                    f.put("taskCostTime", "12");
                    f.put("nodeId", "9");
                }
                yield envelopeNode(0, "success", data);
            }
        };
    }

    private Reply file(String taskId, int n) {
        Run r = runs.get(taskId);
        if (r == null || r.state() != State.SUCCESS || n < 1 || n > OUTPUTS) {
            return Reply.text(404, "not found");
        }
        return Reply.of(200, "image/png", images.get(n - 1));
    }

    /** The key check, then any scripted code for {@code path}. */
    private Optional<Reply> keyAndScript(String path, String key) {
        if (key == null || !key.equals(apiKey)) {
            return Optional.of(envelope(802, "APIKEY_UNAUTHORIZED", null));
        }
        ConcurrentLinkedQueue<Integer> q = codes.get(path);
        Integer code = q == null ? null : q.poll();
        if (code != null) {
            return Optional.of(envelope(code, codeName(code), null));
        }
        return Optional.empty();
    }

    private static String codeName(int code) {
        return switch (code) {
            case 301 -> "PARAMS_INVALID";
            case 415 -> "TASK_INSTANCE_MAXED";
            case 421 -> "TASK_QUEUE_MAXED";
            case 433 -> "VALIDATE_PROMPT_FAILED";
            case 802 -> "APIKEY_UNAUTHORIZED";
            case 803 -> "APIKEY_INVALID_NODE_INFO";
            case 807 -> "APIKEY_TASK_NOT_FOUND";
            case 812 -> "CORPAPIKEY_INSUFFICIENT_FUNDS";
            case 901 -> "WEBAPP_NOT_EXISTS";
            default -> "UNKNOWN_ERROR";
        };
    }

    /** What was wrong with the shape of refused run requests, in order. */
    public List<String> shapeProblems() {
        return List.copyOf(shapeProblems);
    }

    private void rejectedShape(String problem) {
        shapeProblems.add(problem);
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            for (Run r : runs.values()) {
                Script s = scripts.get(r.taskId());
                if (s == null || s.every() == null || r.state().terminal()) {
                    continue;
                }
                long steps = Duration.between(r.startedAt(), now).toMillis()
                        / s.every().toMillis();
                State state = s.states().get((int) Math.min(steps, s.states().size() - 1));
                if (state != r.state()) {
                    runs.computeIfPresent(
                            r.taskId(), (k, v) -> v.state().terminal() ? v : withState(v, state, v.polls()));
                    fireIfEnded(r.taskId());
                }
            }
        } catch (RuntimeException e) {
            // keep ticking; a test sees the effect (or its absence)
        }
    }

    private static Run withState(Run r, State state, int polls) {
        return new Run(r.taskId(), r.nodes(), r.webhookUrl(), state, polls, r.webhookFired(), r.startedAt());
    }

    /** Once per run: when it has ended, its webhook goes (or not) as the mode says. */
    private void fireIfEnded(String taskId) {
        boolean[] fire = new boolean[1];
        runs.computeIfPresent(taskId, (k, r) -> {
            if (!r.state().terminal() || r.webhookFired()) {
                return r;
            }
            fire[0] = true;
            return new Run(r.taskId(), r.nodes(), r.webhookUrl(), r.state(), r.polls(), true, r.startedAt());
        });
        Run r = runs.get(taskId);
        if (!fire[0] || r.webhookUrl() == null) {
            return;
        }
        switch (webhookMode) {
            case SEND -> clock.execute(() -> deliver(r));
            case DUPLICATE ->
                clock.execute(() -> {
                    deliver(r);
                    deliver(r);
                });
            case LATE -> held.add(taskId);
            case DROP -> {}
        }
    }

    private Delivery deliver(Run r) {
        String body = webhookBody(r.taskId());
        int status;
        try {
            HttpResponse<Void> res = http.send(
                    HttpRequest.newBuilder(URI.create(r.webhookUrl()))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            status = res.statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        Delivery d = new Delivery(r.taskId(), r.webhookUrl(), status, body);
        deliveries.add(d);
        return d;
    }

    private Reply envelope(int code, String msg, JsonNode data) {
        return Reply.json(200, write(envelopeNode(code, msg, data)));
    }

    private ObjectNode envelopeNode(int code, String msg, JsonNode data) {
        ObjectNode n = mapper.createObjectNode();
        n.put("code", code);
        n.put("msg", msg);
        n.set("data", data);
        return n;
    }

    private JsonNode jsonBody(Request request) {
        if (!request.header("Content-Type").orElse("").startsWith("application/json")) {
            throw new IllegalArgumentException("not JSON");
        }
        try {
            JsonNode n = mapper.readTree(request.body());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private String write(JsonNode n) {
        try {
            return mapper.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Part(String fileName, String contentType, byte[] content) {}

    private static String text(Part p) {
        return p == null ? null : new String(p.content(), StandardCharsets.UTF_8);
    }

    /** A strict multipart/form-data reader: CRLF line ends, a Content-Disposition per part, the closing boundary. */
    private static Map<String, Part> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new LinkedHashMap<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos != 0) {
            throw new IllegalArgumentException("body does not start with the boundary");
        }
        while (true) {
            pos += delimiter.length;
            if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // closing delimiter
            }
            if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
                throw new IllegalArgumentException("no CRLF after the boundary");
            }
            pos += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("part without a header end");
            }
            String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int contentEnd = indexOf(body, next, contentStart);
            if (contentEnd < 0) {
                throw new IllegalArgumentException("part without an end");
            }
            String name = null;
            String fileName = null;
            String type = null;
            for (String h : headers.split("\r\n")) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    Matcher n = Pattern.compile("[; ]name=\"([^\"]*)\"").matcher(h);
                    Matcher f = Pattern.compile("filename=\"([^\"]*)\"").matcher(h);
                    name = n.find() ? n.group(1) : null;
                    fileName = f.find() ? f.group(1) : null;
                } else if (lower.startsWith("content-type:")) {
                    type = h.substring("content-type:".length()).strip();
                }
            }
            if (name == null) {
                throw new IllegalArgumentException("part without a name");
            }
            parts.put(name, new Part(fileName, type, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Twelve distinct generated "poses": a figure on a gradient, moved and turned a little in each. */
    private static List<byte[]> outputImages() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < OUTPUTS; i++) {
            BufferedImage img = new BufferedImage(96, 128, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setPaint(new java.awt.GradientPaint(
                        0,
                        0,
                        Color.getHSBColor(i / 12f, 0.25f, 0.95f),
                        0,
                        128,
                        Color.getHSBColor(i / 12f, 0.4f, 0.7f)));
                g.fillRect(0, 0, 96, 128);
                g.setColor(new Color(40, 40, 60));
                int x = 30 + (i % 4) * 6;
                g.fillOval(x + 8, 14, 20, 20); // head
                g.rotate(Math.toRadians(-15 + i * 3), x + 18, 70);
                g.fillRoundRect(x, 36, 36, 56, 10, 10); // body
                g.fillRect(x + 4, 92, 10, 28);
                g.fillRect(x + 22, 92, 10, 28);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "png", bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.add(bytes.toByteArray());
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        ticker.cancel(false);
        clock.shutdownNow();
        super.close();
    }
}
