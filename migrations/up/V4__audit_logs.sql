-- One row per administrative change (admin API, opsctl user and secrets commands), written by core's AuditLog in
-- the transaction of the change it records. The application only inserts here: no row is updated or deleted.
-- actor is "admin:<user id>" or "opsctl@<host>"; actor_user_id is the admin's id (no foreign key: the record
-- outlives whatever happens to the account). details is JSON, redacted before it is written, kept in LONGTEXT
-- (MariaDB's JSON is an alias for it; H2's JSON type double-encodes strings).
CREATE TABLE audit_logs (
    id BIGINT NOT NULL AUTO_INCREMENT,
    actor VARCHAR(191) NOT NULL,
    actor_user_id BIGINT NULL,
    action VARCHAR(64) NOT NULL,
    resource_type VARCHAR(64) NOT NULL,
    resource_id VARCHAR(191) NULL,
    details LONGTEXT NULL,
    client_ip VARCHAR(45) NULL,
    user_agent VARCHAR(512) NULL,
    request_id VARCHAR(64) NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- the admin list: newest first, filtered by resource or by actor
CREATE INDEX idx_audit_logs_created ON audit_logs (created_at, id);
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource_type, resource_id, id);
CREATE INDEX idx_audit_logs_actor ON audit_logs (actor_user_id, id);
