-- AI tasks. The state machine lives in this row (server/tasks); db-scheduler's scheduled_tasks only holds the
-- durable wake-up of each unfinished task. id is 128 random bits, lowercase hex (unguessable, like orders.id).
-- status is what clients see (pending -> processing -> succeeded | failed); step is the engine's next step and
-- engine_state its JSON working data (uploaded file names, output keys fetched so far). vendor_task_id is
-- written before anything else happens after a vendor accepted the work, so a step is never resubmitted.
-- webhook_token_hash is SHA-256 of the per-task secret in the vendor's webhook URL. quota_cost is what the
-- ledger deducted (ref = task id); a failure refunds it once (ledger unique on reason + ref).
CREATE TABLE tasks (
    id VARCHAR(32) NOT NULL,
    user_id BIGINT NOT NULL,
    type VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    step VARCHAR(32) NOT NULL,
    step_index INT NOT NULL DEFAULT 0,
    input_key VARCHAR(255) NOT NULL,
    params LONGTEXT NULL,
    result_keys LONGTEXT NULL,
    error_message VARCHAR(1000) NULL,
    vendor_task_id VARCHAR(128) NULL,
    engine_state LONGTEXT NULL,
    webhook_token_hash CHAR(64) NULL,
    quota_cost INT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    deadline_at DATETIME(3) NOT NULL,
    idempotency_key VARCHAR(128) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    completed_at DATETIME(3) NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_tasks_status CHECK (status IN ('pending', 'processing', 'succeeded', 'failed')),
    CONSTRAINT ck_tasks_quota_cost CHECK (quota_cost >= 0),
    CONSTRAINT fk_tasks_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- GET /api/task/list: a user's tasks newest first, optionally by status or type (each filter has its own
-- index, so the ORDER BY ... LIMIT reads the index in order instead of sorting the user's rows)
CREATE INDEX idx_tasks_user_created ON tasks (user_id, created_at, id);
CREATE INDEX idx_tasks_user_status_created ON tasks (user_id, status, created_at, id);
CREATE INDEX idx_tasks_user_type_created ON tasks (user_id, type, created_at, id);
-- the admin lists (all users, by status: failed-tasks) and the overview's counts by status and today
CREATE INDEX idx_tasks_status_created ON tasks (status, created_at, id);
CREATE INDEX idx_tasks_created ON tasks (created_at, id);

-- Idempotency-Key per user for POST /api/task/create: the first task wins for 24 h (expires_at). Our own
-- table, because the scheduler dedupes only while an execution row exists. request_hash tells a retry of the
-- same request from a different request under the same key.
CREATE TABLE task_idempotency_keys (
    user_id BIGINT NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    task_id VARCHAR(32) NOT NULL,
    request_hash CHAR(64) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX idx_task_idempotency_expires ON task_idempotency_keys (expires_at);

-- Signatures of accepted internal callbacks (X-Internal-Signature, hex), kept past the 5-minute skew window so a
-- replay is refused by every instance when Redis is not configured (with Redis, SET NX there does it).
CREATE TABLE callback_replays (
    signature CHAR(64) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (signature)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX idx_callback_replays_expires ON callback_replays (expires_at);
