-- db-scheduler's table (the server's recurring and background jobs, platform/Scheduling), after upstream's
-- mariadb_tables.sql for db-scheduler 16.12.0. Changed: DATETIME(6) instead of TIMESTAMP(6), because the
-- scheduler writes UTC (alwaysPersistTimestampInUTC) and a TIMESTAMP column would convert through the session
-- time zone (and, with explicit_defaults_for_timestamp off, get ON UPDATE CURRENT_TIMESTAMP on execution_time);
-- the indexes are separate statements so that H2 in MySQL mode accepts them.
CREATE TABLE scheduled_tasks (
    task_name VARCHAR(100) NOT NULL,
    task_instance VARCHAR(100) NOT NULL,
    task_data BLOB,
    execution_time DATETIME(6) NOT NULL,
    picked BOOLEAN NOT NULL,
    picked_by VARCHAR(50),
    last_success DATETIME(6) NULL,
    last_failure DATETIME(6) NULL,
    consecutive_failures INT,
    last_heartbeat DATETIME(6) NULL,
    version BIGINT NOT NULL,
    priority SMALLINT,
    PRIMARY KEY (task_name, task_instance)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
