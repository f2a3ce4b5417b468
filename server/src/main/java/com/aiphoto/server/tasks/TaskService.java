package com.aiphoto.server.tasks;

import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.media.MediaFiles;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Responses;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Under {@code /api/task}: create a task, list the caller's tasks, read one (owner only; others get 404/4004). */
final class TaskService implements HttpService {
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_OFFSET = 1_000_000;

    record CreatedView(String taskId, String type, String status, int quotaCost, Instant createdAt) {}

    record TaskView(
            String id,
            String type,
            String status,
            String inputUrl,
            TaskParams params,
            List<String> resultUrls,
            String errorMessage,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt) {}

    record ListView(List<TaskView> tasks, long total, int limit, int offset) {}

    private final Json json;
    private final Authenticator auth;
    private final TaskCreation creation;
    private final TaskStore store;
    private final MediaFiles media;

    TaskService(Json json, Authenticator auth, TaskCreation creation, TaskStore store, MediaFiles media) {
        this.json = json;
        this.auth = auth;
        this.creation = creation;
        this.store = store;
        this.media = media;
    }

    @Override
    public void routing(HttpRules rules) {
        // fresh: creation refuses an empty balance before its transaction (a burst must see its own deductions)
        rules.post("/create", auth.freshUser(this::create))
                .get("/list", auth.user(this::list))
                .get("/{taskId}", auth.user(this::one));
    }

    private void create(User user, ServerRequest req, ServerResponse res) {
        TaskCreation.Request body = json.read(req, TaskCreation.Request.class);
        Optional<String> key = req.headers().first(IDEMPOTENCY_KEY);
        Task t = creation.create(user, body, key).task();
        Responses.ok(res, new CreatedView(t.id(), t.type().id(), t.status().id(), t.quotaCost(), t.createdAt()));
    }

    private void list(User user, ServerRequest req, ServerResponse res) {
        Parameters q = req.query();
        int limit = integer(q, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = integer(q, "offset", 0, 0, MAX_OFFSET);
        TaskStatus status = q.first("status")
                .asOptional()
                .map(s -> TaskStatus.of(s)
                        .orElseThrow(() ->
                                ApiException.invalid("status", "must be pending, processing, succeeded or failed")))
                .orElse(null);
        TaskType type = q.first("type")
                .asOptional()
                .map(s -> TaskType.of(s)
                        .orElseThrow(() -> ApiException.invalid("type", "must be basic_clean or model_pose12")))
                .orElse(null);
        TaskStore.Page page = store.list(user.id(), new TaskStore.Filter(status, type), limit, offset);
        Responses.ok(res, new ListView(page.tasks().stream().map(this::view).toList(), page.total(), limit, offset));
    }

    private void one(User user, ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("taskId");
        if (!TaskEngine.TASK_ID.matcher(id).matches()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "task not found");
        }
        Task t = store.byId(id)
                .filter(task -> task.userId() == user.id())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "task not found"));
        Responses.ok(res, view(t));
    }

    private TaskView view(Task t) {
        return new TaskView(
                t.id(),
                t.type().id(),
                t.status().id(),
                media.readUrl(t.inputKey()).toString(),
                t.params(),
                t.resultKeys().stream().map(k -> media.readUrl(k).toString()).toList(),
                t.errorMessage(),
                t.createdAt(),
                t.updatedAt(),
                t.completedAt());
    }

    private static int integer(Parameters q, String name, int dflt, int min, int max) {
        Optional<String> v = q.first(name).asOptional();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < min || n > max) {
                throw ApiException.invalid(name, "must be " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be an integer " + min + ".." + max);
        }
    }
}
