package com.aiphoto.server.callbacks;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Responses;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/internal/tasks/{taskId}/steps/{stepIndex}/callback}: a worker reports a step's end. Checked in
 * this order, each failure answered before the next check runs: the secret is configured, both headers are well
 * formed, the timestamp is within {@link CallbackSignature#MAX_SKEW}, the signature over the raw body matches
 * (constant time), the path and the body are valid; then the signature is marked seen (a replay, to any instance,
 * is refused from then on) and {@link StepCallbacks} records the outcome. Every authentication failure is 401/1001
 * and a line in the security log, never with the signature or the secret; a callback for a step that already
 * finished is 200 with no effect; an unknown task or step is 404/4004. If recording fails (our outage: 503), the
 * signature is forgotten again, so the worker's retry of the same request is not taken for a replay.
 */
final class InternalCallbackService implements HttpService {
    /** What {@code errorMessage} may hold (the tasks table keeps 1000 characters). */
    static final int MAX_ERROR_MESSAGE = 1000;
    /** Kept a little past the skew window, for instances whose clocks disagree by a few seconds. */
    static final Duration REPLAY_MARGIN = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(InternalCallbackService.class);
    private static final Logger SECURITY = LoggerFactory.getLogger("security");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern STEP_INDEX = Pattern.compile("[0-9]{1,4}");

    /** The body a worker sends. */
    record Body(Status status, JsonNode output, String errorMessage) {}

    enum Status {
        @JsonProperty("completed")
        COMPLETED,
        @JsonProperty("failed")
        FAILED
    }

    /** The answer: what became of the callback. */
    record Accepted(String result) {}

    private final Optional<byte[]> secret;
    private final ReplayGuard replays;
    private final StepCallbacks steps;
    private final Json json;
    private final Clock clock;

    /** @param secret {@code INTERNAL_CALLBACK_SECRET}'s bytes; empty (never in production) refuses every callback */
    InternalCallbackService(Optional<byte[]> secret, ReplayGuard replays, StepCallbacks steps, Json json, Clock clock) {
        this.secret = secret.map(byte[]::clone);
        this.replays = replays;
        this.steps = steps;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{taskId}/steps/{stepIndex}/callback", this::callback);
    }

    private void callback(ServerRequest req, ServerResponse res) {
        Verified v = authenticate(req);
        String taskId = req.path().pathParameters().get("taskId");
        String step = req.path().pathParameters().get("stepIndex");
        if (!TASK_ID.matcher(taskId).matches()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such task");
        }
        if (!STEP_INDEX.matcher(step).matches()) {
            throw ApiException.invalid("stepIndex", "must be a step number");
        }
        int stepIndex = Integer.parseInt(step);
        Body body = json.parse(req, v.body(), Body.class);
        if (body.status() == null) {
            throw ApiException.invalid("status", "required, completed or failed");
        }
        if (body.errorMessage() != null && body.errorMessage().length() > MAX_ERROR_MESSAGE) {
            throw ApiException.invalid("errorMessage", "at most " + MAX_ERROR_MESSAGE + " characters");
        }
        Instant until = v.timestamp().plus(CallbackSignature.MAX_SKEW).plus(REPLAY_MARGIN);
        if (!replays.firstSeen(v.signature(), until)) {
            throw reject(req, "replay", "callback already received");
        }
        StepCallbacks.Result result;
        try {
            boolean completed = body.status() == Status.COMPLETED;
            JsonNode output = body.output() == null || body.output().isNull() ? null : body.output();
            result = steps.stepFinished(taskId, stepIndex, completed, output, body.errorMessage());
        } catch (RuntimeException e) {
            forget(v.signature(), e);
            throw e;
        }
        LOG.info(
                "callback for task {} step {}: {} -> {}",
                taskId,
                stepIndex,
                body.status().name().toLowerCase(Locale.ROOT),
                result);
        switch (result) {
            case APPLIED -> Responses.ok(res, new Accepted("applied"));
            case ALREADY_FINISHED -> Responses.ok(res, new Accepted("already_finished"));
            case NOT_FOUND -> throw new ApiException(ErrorCode.NOT_FOUND, "no such task or step");
        }
    }

    /**
     * A callback whose signature matched: the signature in lowercase (the replay key: an upper-case copy of a
     * signature is the same signature), its timestamp and the raw body it covers.
     */
    private record Verified(String signature, Instant timestamp, byte[] body) {}

    /** Checks configuration, headers, skew and signature. */
    private Verified authenticate(ServerRequest req) {
        byte[] key = secret.orElseThrow(() -> reject(req, "not_configured", "callbacks are not configured"));
        String ts = header(req, CallbackSignature.TIMESTAMP_HEADER)
                .filter(v -> TIMESTAMP.matcher(v).matches())
                .orElseThrow(() -> reject(req, "bad_timestamp", "X-Timestamp missing or not unix seconds"));
        String signature = header(req, CallbackSignature.SIGNATURE_HEADER)
                .filter(v -> SIGNATURE.matcher(v).matches())
                .orElseThrow(() -> reject(req, "bad_signature_header", "X-Internal-Signature missing or malformed"));
        Instant at = Instant.ofEpochSecond(Long.parseLong(ts));
        Duration skew = Duration.between(at, clock.instant());
        if (skew.abs().compareTo(CallbackSignature.MAX_SKEW) > 0) {
            throw reject(
                    req,
                    skew.isNegative() ? "future_timestamp" : "stale_timestamp",
                    "X-Timestamp outside the 5-minute window");
        }
        byte[] raw = json.body(req);
        if (!CallbackSignature.matches(key, ts, raw, signature)) {
            throw reject(req, "bad_signature", "signature does not match");
        }
        return new Verified(signature.toLowerCase(Locale.ROOT), at, raw);
    }

    private void forget(String signature, RuntimeException cause) {
        try {
            replays.forget(signature);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static Optional<String> header(ServerRequest req, String name) {
        return req.headers().first(HeaderNames.create(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static ApiException reject(ServerRequest req, String reason, String message) {
        SECURITY.warn(
                "internal callback rejected: {} ({}) path={}",
                reason,
                message,
                req.path().path(),
                keyValue("event", "internal_callback_rejected"),
                keyValue("reason", reason));
        return new ApiException(ErrorCode.NOT_LOGGED_IN, message, Map.of(), null);
    }
}
