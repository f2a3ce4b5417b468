-- Accounts and sessions. Times are UTC, computed in Java (no SQL date functions: H2 runs this too).
CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT,
    phone VARCHAR(20) NULL,
    wechat_openid VARCHAR(64) NULL,
    wechat_unionid VARCHAR(64) NULL,
    password_hash VARCHAR(100) NULL,
    nickname VARCHAR(64) NULL,
    role VARCHAR(16) NOT NULL DEFAULT 'user',
    member_expires_at DATETIME(3) NULL,
    quota_balance INT NOT NULL DEFAULT 0,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_phone UNIQUE (phone),
    CONSTRAINT uq_users_wechat_openid UNIQUE (wechat_openid),
    CONSTRAINT uq_users_wechat_unionid UNIQUE (wechat_unionid),
    CONSTRAINT ck_users_role CHECK (role IN ('user', 'admin')),
    CONSTRAINT ck_users_quota CHECK (quota_balance >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Refresh tokens are stored only as SHA-256. A family is one login's chain of rotations: a token that was
-- already replaced and is presented again revokes the whole family (theft detection).
CREATE TABLE refresh_tokens (
    id BIGINT NOT NULL AUTO_INCREMENT,
    user_id BIGINT NOT NULL,
    token_hash CHAR(64) NOT NULL,
    family_id CHAR(32) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    replaced_by BIGINT NULL,
    revoked_at DATETIME(3) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id);
