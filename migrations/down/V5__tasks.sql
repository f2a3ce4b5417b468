DROP TABLE callback_replays;
DROP TABLE task_idempotency_keys;
DROP TABLE tasks;
