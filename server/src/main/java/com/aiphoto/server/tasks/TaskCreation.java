package com.aiphoto.server.tasks;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.SqlErrors;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.media.MediaFiles;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/task/create}: validates the type, the params and the input's ownership, then in ONE transaction
 * claims the Idempotency-Key (if any), deducts the quota through the ledger, inserts the task and schedules its
 * execution, so a failure anywhere leaves none of them. The same key from the same user within 24 h returns the
 * first task: a concurrent repeat waits on the key's row and then finds it taken; the quota is charged once.
 */
final class TaskCreation {
    static final Duration KEY_TTL = Duration.ofHours(24);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final int ATTEMPTS = 5;

    /** The body; {@code params} may be absent. */
    record Request(String type, String inputKey, String inputImageUrl, TaskParams params) {}

    /** A created (or, for a repeated key, the first) task. */
    record Created(Task task, boolean repeated) {}

    /** The key was taken by a concurrent or earlier request (found while claiming it): read it and answer with its task. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    private final TaskStore store;
    private final QuotaLedger ledger;
    private final TaskEngine engine;
    private final MediaFiles media;
    private final InputUrls urls;
    private final EngineConfig config;
    private final Clock clock;
    private final TaskMetrics metrics;

    TaskCreation(
            TaskStore store,
            QuotaLedger ledger,
            TaskEngine engine,
            MediaFiles media,
            InputUrls urls,
            EngineConfig config,
            Clock clock,
            TaskMetrics metrics) {
        this.store = store;
        this.ledger = ledger;
        this.engine = engine;
        this.media = media;
        this.urls = urls;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    Created create(User user, Request body, Optional<String> idempotencyKey) {
        TaskType type = type(body.type());
        TaskParams params = params(body.params());
        String key = idempotencyKey.map(TaskCreation::checkKey).orElse(null);
        String inputKey = input(user.id(), body);
        String requestHash = Secrets.sha256Hex(String.join(
                "\n", type.id(), inputKey, String.valueOf(params.scene()), String.valueOf(params.category())));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (key != null) {
                Optional<Task> first = earlier(user.id(), key, requestHash);
                if (first.isPresent()) {
                    return new Created(first.get(), true);
                }
            }
            precheck(user, type);
            try {
                Created created = new Created(insert(user.id(), type, params, inputKey, key, requestHash), false);
                metrics.created(type);
                engine.wakeAll();
                return created;
            } catch (KeyTaken e) {
                // read it on the next round
            } catch (DataAccessException e) {
                if (key == null || !deadlock(e)) {
                    throw e;
                }
                // requests racing on one key (an expired one being taken over): the winner's task is read next round
            }
        }
        throw new ApiException(ErrorCode.UNAVAILABLE, "Idempotency-Key contended; try again");
    }

    /** The unexpired task of this key, if any; 400 when the key was used for a different request. */
    private Optional<Task> earlier(long userId, String key, String requestHash) {
        Optional<TaskStore.KeyUse> use = store.key(userId, key);
        if (use.isEmpty() || !use.get().expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        if (!use.get().requestHash().equals(requestHash)) {
            throw ApiException.invalid("Idempotency-Key", "already used for a different request");
        }
        return store.byId(use.get().taskId());
    }

    /**
     * The refusals the ledger would make, answered without a transaction from the account the request loaded: under
     * a burst of creates on an empty balance most are refused here. The ledger checks again under the row lock.
     */
    private void precheck(User user, TaskType type) {
        if (!user.isMember(clock.instant())) {
            throw new ApiException(ErrorCode.MEMBERSHIP_REQUIRED);
        }
        if (user.quotaBalance() < config.cost(type)) {
            throw new ApiException(ErrorCode.QUOTA_EXHAUSTED);
        }
    }

    private Task insert(
            long userId, TaskType type, TaskParams params, String inputKey, String key, String requestHash) {
        String id = Secrets.randomHex(16);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int cost = config.cost(type);
        Task t = new Task(
                id,
                userId,
                type,
                TaskStatus.PENDING,
                Step.SUBMIT,
                0,
                inputKey,
                params,
                List.of(),
                null,
                null,
                null,
                null,
                cost,
                0,
                now.plus(config.deadline(type)),
                key,
                now,
                now,
                null);
        return store.jdbc().inTransaction(h -> {
            if (key != null) {
                try {
                    store.insertKey(h, userId, key, id, requestHash, now, now.plus(KEY_TTL));
                } catch (DataAccessException e) {
                    if (!SqlErrors.isDuplicateKey(e)) {
                        throw e;
                    }
                    // the key exists: take it over only if it expired, else answer with its task. Read before
                    // updating: the failed insert holds a shared lock on the key, and two requests upgrading theirs
                    // to the update's exclusive lock at once deadlock (InnoDB)
                    boolean expired = store.keyExpired(h, userId, key, now);
                    if (!expired || !store.renewKey(h, userId, key, id, requestHash, now, now.plus(KEY_TTL))) {
                        throw new KeyTaken();
                    }
                }
            }
            if (cost > 0) {
                ledger.deduct(h, userId, cost, id);
            } else if (!member(h, userId, now)) {
                throw new ApiException(ErrorCode.MEMBERSHIP_REQUIRED);
            }
            store.insert(h, t);
            engine.schedule(h, id, now);
            return t;
        });
    }

    /** InnoDB chose this transaction as a deadlock's victim (SQLState 40001); it was rolled back whole. */
    private static boolean deadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransactionRollbackException
                    || (t instanceof SQLException se && "40001".equals(se.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean member(Jdbc.Handle h, long userId, Instant now) {
        return h.queryOne(
                        "SELECT member_expires_at FROM users WHERE id = ?",
                        r -> Optional.ofNullable(Jdbc.instant(r, "member_expires_at")),
                        userId)
                .flatMap(o -> o)
                .filter(end -> end.isAfter(now))
                .isPresent();
    }

    private static TaskType type(String type) {
        if (type == null || type.isBlank()) {
            throw ApiException.invalid("type", "required");
        }
        return TaskType.of(type).orElseThrow(() -> ApiException.invalid("type", "must be basic_clean or model_pose12"));
    }

    private static TaskParams params(TaskParams p) {
        if (p == null) {
            return TaskParams.NONE;
        }
        return new TaskParams(text(p.scene(), "params.scene"), text(p.category(), "params.category"));
    }

    private static String text(String v, String field) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        if (s.length() > TaskParams.MAX_LENGTH) {
            throw ApiException.invalid(field, "at most " + TaskParams.MAX_LENGTH + " characters");
        }
        if (s.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, "must not contain control characters");
        }
        return s.isEmpty() ? null : s;
    }

    private static String checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid("Idempotency-Key", "1..128 visible ASCII characters");
        }
        return key;
    }

    /** The key of one of the caller's uploaded inputs: {@code inputKey}, or an {@code inputImageUrl} of ours. */
    private String input(long userId, Request body) {
        if (body.inputKey() != null && body.inputImageUrl() != null) {
            throw ApiException.invalid("inputKey", "give inputKey or inputImageUrl, not both");
        }
        if (body.inputKey() != null) {
            return owned(userId, body.inputKey(), "inputKey");
        }
        if (body.inputImageUrl() != null) {
            String key = urls.keyOf(body.inputImageUrl())
                    .orElseThrow(() -> ApiException.invalid(
                            "inputImageUrl", "must be a URL of an image you uploaded (other URLs are not fetched)"));
            return owned(userId, key, "inputImageUrl");
        }
        throw ApiException.invalid("inputKey", "required (or inputImageUrl)");
    }

    private String owned(long userId, String key, String field) {
        if (media.ownedInput(userId, key).isEmpty()) {
            throw ApiException.invalid(field, "not an image you uploaded");
        }
        return key;
    }
}
