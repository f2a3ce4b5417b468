-- Quota and membership change only through the ledger (core's QuotaLedger): each change is one row here,
-- written in the same transaction as users.quota_balance / users.member_expires_at under the user's row lock.
-- (reason, ref) is unique, so a repeated grant, deduct or refund of the same thing is refused by the database
-- whatever the code does. A grant's member_expires_after is the membership end it produced (null otherwise).
CREATE TABLE quota_ledger (
    id BIGINT NOT NULL AUTO_INCREMENT,
    user_id BIGINT NOT NULL,
    delta INT NOT NULL,
    reason VARCHAR(16) NOT NULL,
    ref VARCHAR(64) NOT NULL,
    balance_after INT NOT NULL,
    member_expires_after DATETIME(3) NULL,
    note VARCHAR(255) NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_quota_ledger_reason_ref UNIQUE (reason, ref),
    CONSTRAINT ck_quota_ledger_reason CHECK (reason IN ('grant', 'deduct', 'refund', 'adjust')),
    CONSTRAINT ck_quota_ledger_balance CHECK (balance_after >= 0),
    CONSTRAINT fk_quota_ledger_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX idx_quota_ledger_user ON quota_ledger (user_id, id);

-- Membership orders. id is our out_trade_no (128 random bits, lowercase hex: unguessable, and safe under the
-- case-insensitive collation); amount_cents comes from the server's plan table, never from the client.
-- quota and duration_days are the plan as it was sold (a later PLANS change does not alter a pending order).
-- transaction_id is WeChat Pay's and unique: one payment can settle one order only.
CREATE TABLE orders (
    id VARCHAR(32) NOT NULL,
    user_id BIGINT NOT NULL,
    plan_id VARCHAR(32) NOT NULL,
    amount_cents BIGINT NOT NULL,
    quota INT NOT NULL,
    duration_days INT NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending',
    transaction_id VARCHAR(64) NULL,
    code_url VARCHAR(512) NULL,
    expires_at DATETIME(3) NOT NULL,
    paid_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_orders_transaction_id UNIQUE (transaction_id),
    CONSTRAINT ck_orders_status CHECK (status IN ('pending', 'paid', 'closed', 'refunded')),
    CONSTRAINT ck_orders_amount CHECK (amount_cents > 0),
    CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- "my orders" (newest first) and the reuse of a pending order for the same plan
CREATE INDEX idx_orders_user_created ON orders (user_id, created_at);
-- the reconciler's scan: pending orders oldest first
CREATE INDEX idx_orders_status_created ON orders (status, created_at);
