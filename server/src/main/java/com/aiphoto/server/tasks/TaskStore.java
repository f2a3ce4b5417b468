package com.aiphoto.server.tasks;

import com.aiphoto.core.db.Jdbc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of {@code tasks} and {@code task_idempotency_keys}. Every change of a task's step is a guarded update on
 * the step (and its index) the caller read, so of two racing writers (a duplicate wake-up, a webhook, a worker
 * callback) exactly one moves the row and the other sees 0 rows changed.
 */
final class TaskStore {
    private static final String COLUMNS = "id, user_id, type, status, step, step_index, input_key, params, "
            + "result_keys, error_message, vendor_task_id, engine_state, webhook_token_hash, quota_cost, attempts, "
            + "deadline_at, idempotency_key, created_at, updated_at, completed_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    static final int MAX_ERROR = 1000;

    /** A page of a user's tasks and how many match in all. */
    record Page(List<Task> tasks, long total) {}

    /** The filters of the list; null means any. */
    record Filter(TaskStatus status, TaskType type) {}

    /** An idempotency key's row. */
    record KeyUse(String taskId, String requestHash, Instant expiresAt) {}

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    TaskStore(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    void insert(Jdbc.Handle h, Task t) {
        h.update(
                "INSERT INTO tasks (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(),
                t.userId(),
                t.type().id(),
                t.status().id(),
                t.step().id(),
                t.stepIndex(),
                t.inputKey(),
                json(t.params()),
                t.resultKeys() == null ? null : json(t.resultKeys()),
                t.errorMessage(),
                t.vendorTaskId(),
                t.engineState(),
                t.webhookTokenHash(),
                t.quotaCost(),
                t.attempts(),
                t.deadlineAt(),
                t.idempotencyKey(),
                t.createdAt(),
                t.updatedAt(),
                t.completedAt());
    }

    Optional<Task> byId(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM tasks WHERE id = ?", this::map, id);
    }

    Optional<Task> byId(Jdbc.Handle h, String id) {
        return h.queryOne("SELECT " + COLUMNS + " FROM tasks WHERE id = ?", this::map, id);
    }

    /** Newest first; the indexes on (user_id[, status | type], created_at, id) serve both filters. */
    Page list(long userId, Filter f, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE user_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(userId);
        if (f.status() != null) {
            where.append(" AND status = ?");
            params.add(f.status().id());
        }
        if (f.type() != null) {
            where.append(" AND type = ?");
            params.add(f.type().id());
        }
        return jdbc.withConnection(h -> {
            List<Object> page = new ArrayList<>(params);
            page.add(limit);
            page.add(offset);
            List<Task> tasks = h.query(
                    "SELECT " + COLUMNS + " FROM tasks" + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                    this::map,
                    page.toArray());
            // a page that is not full and not past the end tells the total: most users' lists need one query
            if (tasks.size() < limit && (!tasks.isEmpty() || offset == 0)) {
                return new Page(tasks, offset + tasks.size());
            }
            long total = h.queryOne("SELECT COUNT(*) FROM tasks" + where, r -> r.getLong(1), params.toArray())
                    .orElse(0L);
            return new Page(tasks, total);
        });
    }

    /** Unfinished tasks (the queue-depth gauge). */
    long unfinished() {
        return jdbc.queryOne("SELECT COUNT(*) FROM tasks WHERE status IN ('pending', 'processing')", r -> r.getLong(1))
                .orElse(0L);
    }

    void insertKey(
            Jdbc.Handle h, long userId, String key, String taskId, String requestHash, Instant now, Instant expires) {
        h.update(
                "INSERT INTO task_idempotency_keys (user_id, idempotency_key, task_id, request_hash, created_at, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                userId,
                key,
                taskId,
                requestHash,
                now,
                expires);
    }

    /** Takes over an expired key for a new task; false when it is not expired (someone else took it over). */
    boolean renewKey(
            Jdbc.Handle h, long userId, String key, String taskId, String requestHash, Instant now, Instant expires) {
        return h.update(
                        "UPDATE task_idempotency_keys SET task_id = ?, request_hash = ?, created_at = ?, expires_at = ? "
                                + "WHERE user_id = ? AND idempotency_key = ? AND expires_at <= ?",
                        taskId,
                        requestHash,
                        now,
                        expires,
                        userId,
                        key,
                        now)
                == 1;
    }

    /** In the caller's transaction: whether the key's row exists and has expired. */
    boolean keyExpired(Jdbc.Handle h, long userId, String key, Instant now) {
        return h.queryOne(
                        "SELECT expires_at FROM task_idempotency_keys WHERE user_id = ? AND idempotency_key = ?",
                        r -> Jdbc.instant(r, "expires_at"),
                        userId,
                        key)
                .filter(expires -> !expires.isAfter(now))
                .isPresent();
    }

    Optional<KeyUse> key(long userId, String key) {
        return jdbc.queryOne(
                "SELECT task_id, request_hash, expires_at FROM task_idempotency_keys WHERE user_id = ? AND "
                        + "idempotency_key = ?",
                r -> new KeyUse(r.getString("task_id"), r.getString("request_hash"), Jdbc.instant(r, "expires_at")),
                userId,
                key);
    }

    /** pending -> processing, once, when the first step starts. */
    void started(String id, Instant now) {
        jdbc.update(
                "UPDATE tasks SET status = 'processing', updated_at = ? WHERE id = ? AND status = 'pending'", now, id);
    }

    /**
     * Claims the submit step before the provider is called: stores the hash of the webhook secret about to be handed
     * to the vendor and moves the step's index on. A claim stands until it is released (the call failed) or until
     * {@code staleBefore}: an older one belongs to a run that died mid-call (its instance killed), whose step is
     * taken over. So of two runs racing on one submit only one calls the vendor. False when another run holds the
     * claim (or the row moved on).
     */
    boolean claimSubmit(String id, int stepIndex, String tokenHash, Instant now, Instant staleBefore) {
        return jdbc.update(
                        "UPDATE tasks SET webhook_token_hash = ?, step_index = step_index + 1, updated_at = ? "
                                + "WHERE id = ? AND step = 'submit' AND step_index = ? AND "
                                + "(webhook_token_hash IS NULL OR updated_at < ?)",
                        tokenHash,
                        now,
                        id,
                        stepIndex,
                        staleBefore)
                == 1;
    }

    /** The claimed submit's call failed (it no longer runs): the next run may claim it at once. */
    void releaseSubmit(String id, int claimedIndex, Instant now) {
        jdbc.update(
                "UPDATE tasks SET webhook_token_hash = NULL, updated_at = ? WHERE id = ? AND step = 'submit' AND "
                        + "step_index = ?",
                now,
                id,
                claimedIndex);
    }

    /**
     * Moves the task from {@code from} (at {@code index}) to {@code to}, with the vendor id and engine state when not
     * null; the attempt count starts again. False when the row had already moved on.
     */
    boolean advance(
            Jdbc.Handle h,
            String id,
            Step from,
            int index,
            Step to,
            String vendorTaskId,
            String engineState,
            Instant now) {
        return h.update(
                        "UPDATE tasks SET step = ?, step_index = step_index + 1, attempts = 0, "
                                + "vendor_task_id = COALESCE(?, vendor_task_id), engine_state = COALESCE(?, engine_state), "
                                + "status = 'processing', updated_at = ? "
                                + "WHERE id = ? AND step = ? AND step_index = ? AND status IN ('pending', 'processing')",
                        to.id(),
                        vendorTaskId,
                        engineState,
                        now,
                        id,
                        from.id(),
                        index)
                == 1;
    }

    /** The end of a successful task; false when the row had moved on. */
    boolean succeeded(Jdbc.Handle h, String id, int index, List<String> resultKeys, Instant now) {
        return h.update(
                        "UPDATE tasks SET status = 'succeeded', step = 'finished', step_index = step_index + 1, "
                                + "result_keys = ?, error_message = NULL, updated_at = ?, completed_at = ? "
                                + "WHERE id = ? AND step = 'fetch' AND step_index = ? AND status = 'processing'",
                        json(resultKeys),
                        now,
                        now,
                        id,
                        index)
                == 1;
    }

    /**
     * The end of a failed task, whatever step it was at (a deadline ends any step); false when it had already
     * finished. {@code index} guards against a step that moved on meanwhile; null skips that guard.
     */
    boolean failed(Jdbc.Handle h, String id, Integer index, String error, Instant now) {
        String message = error == null ? "failed" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return h.update(
                        "UPDATE tasks SET status = 'failed', step = 'finished', step_index = step_index + 1, "
                                + "error_message = ?, updated_at = ?, completed_at = ? "
                                + "WHERE id = ? AND status IN ('pending', 'processing')"
                                + (index == null ? "" : " AND step_index = " + index.intValue()),
                        message,
                        now,
                        now,
                        id)
                == 1;
    }

    /** One more failed attempt at the current step (a step that moves on starts again at 0); the new count. */
    int attempted(String id, Instant now) {
        return jdbc.inTransaction(h -> {
            h.update(
                    "UPDATE tasks SET attempts = attempts + 1, updated_at = ? WHERE id = ? AND status IN "
                            + "('pending', 'processing')",
                    now,
                    id);
            return h.queryOne("SELECT attempts FROM tasks WHERE id = ?", r -> r.getInt(1), id)
                    .orElse(0);
        });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write task JSON", e);
        }
    }

    private Task map(ResultSet r) throws SQLException {
        try {
            String params = r.getString("params");
            String results = r.getString("result_keys");
            return new Task(
                    r.getString("id"),
                    r.getLong("user_id"),
                    TaskType.of(r.getString("type")).orElseThrow(),
                    TaskStatus.of(r.getString("status")).orElseThrow(),
                    Step.of(r.getString("step")),
                    r.getInt("step_index"),
                    r.getString("input_key"),
                    params == null ? TaskParams.NONE : mapper.readValue(params, TaskParams.class),
                    results == null ? List.of() : mapper.readValue(results, STRINGS),
                    r.getString("error_message"),
                    r.getString("vendor_task_id"),
                    r.getString("engine_state"),
                    r.getString("webhook_token_hash"),
                    r.getInt("quota_cost"),
                    r.getInt("attempts"),
                    Jdbc.instant(r, "deadline_at"),
                    r.getString("idempotency_key"),
                    Jdbc.instant(r, "created_at"),
                    Jdbc.instant(r, "updated_at"),
                    Jdbc.instant(r, "completed_at"));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable task JSON", e);
        }
    }
}
