package com.aiphoto.server.callbacks;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/callbacks/runninghub/{taskId}?token=...}: RunningHub's webhook. It is unsigned, so nothing in
 * its body is read: the body is drained (bounded) and the webhook only tells {@link RunningHubWebhooks} to look
 * now, which confirms through {@code /task/openapi/outputs}. 200 when the token is the task's (RunningHub stops
 * retrying), 404/4004 for an unknown task or a wrong or missing token (RunningHub's retries of a stale URL end
 * with its retry limit); 503 when we cannot record the hint, so RunningHub delivers it again.
 */
final class RunningHubWebhookService implements HttpService {
    /** RunningHub's TASK_END webhook with a dozen file URLs is a few KiB. */
    static final int MAX_BODY = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RunningHubWebhookService.class);
    private static final Logger SECURITY = LoggerFactory.getLogger("security");
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    /** The answer's data: nothing. */
    record Empty() {}

    private final RunningHubWebhooks hooks;

    RunningHubWebhookService(RunningHubWebhooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{taskId}", this::webhook);
    }

    private void webhook(ServerRequest req, ServerResponse res) {
        drain(req);
        String taskId = req.path().pathParameters().get("taskId");
        String token = req.query().first("token").orElse("");
        boolean known =
                TASK_ID.matcher(taskId).matches() && TOKEN.matcher(token).matches() && hooks.hint(taskId, token);
        if (!known) {
            SECURITY.warn(
                    "RunningHub webhook rejected: unknown task or token, task {}",
                    TASK_ID.matcher(taskId).matches() ? taskId : "(malformed)",
                    keyValue("event", "runninghub_webhook_rejected"));
            throw new ApiException(ErrorCode.NOT_FOUND, "unknown task or token", Map.of(), null);
        }
        LOG.info("RunningHub webhook for task {}: checking its outputs now", taskId);
        Responses.ok(res, new Empty());
    }

    private static void drain(ServerRequest req) {
        if (req.headers().contentLength().orElse(0L) > MAX_BODY) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "body too large");
        }
        try (InputStream in = req.content().inputStream()) {
            if (in.readNBytes(MAX_BODY + 1).length > MAX_BODY) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "body too large");
            }
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "body could not be read");
        }
    }
}
