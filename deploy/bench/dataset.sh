#!/usr/bin/env bash
# Fills a migrated, empty database with the benchmark dataset of targets.md, set-based (INSERT ... SELECT over
# MariaDB's seq_1_to_N sequences, a few seconds): USERS users (10,000), each with 20 finished tasks (200,000: every
# tenth failed and refunded, every fourth a model_pose12), 2 orders (20,000: one paid monthly plan that made the user
# a member, one pending, for the notify benchmark) and the quota ledger that goes with it (the grant, a deduct per
# task, a refund per failed task; balance_after is the running sum, users.quota_balance the last of it: 82 each).
# Checks the ledger against the balances and prints the row counts.
#
#   deploy/bench/dataset.sh DATABASE [--users 10000]
#
# As root on 127.0.0.1:3306 (BENCH_DB_USER / BENCH_DB_PASSWORD to change). Migrate first (opsctl db migrate).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

case "${1:-}" in -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 1 ] || die "usage: dataset.sh DATABASE [--users 10000]"
target="$1" users=10000
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ "$(sql "$target" -e 'SELECT COUNT(*) FROM users')" = 0 ] || die "$target is not empty (or not migrated)"

started=$SECONDS
log "dataset into $target: $users users, $((users * 20)) tasks, $((users * 2)) orders and their ledger"
sql "$target" -e "
SET @now = UTC_TIMESTAMP(3);
-- fresh random ids into empty tables: the per-row key checks only cost time (the final check below still runs)
SET SESSION foreign_key_checks = 0, unique_checks = 0;
INSERT INTO users (phone, nickname, role, quota_balance, created_at, updated_at)
  SELECT CONCAT('139', LPAD(seq, 8, '0')), IF(seq % 5 = 0, NULL, CONCAT('user ', seq)),
         IF(seq % 1000 = 0, 'admin', 'user'), 0, @now - INTERVAL 25 DAY + INTERVAL seq SECOND, @now
  FROM seq_1_to_$users;

-- the monthly plan (9900 cents, 100 quota, 30 days): one paid a minute after sign-up, one pending from just now
INSERT INTO orders (id, user_id, plan_id, amount_cents, quota, duration_days, status, transaction_id, code_url,
                    expires_at, paid_at, created_at, updated_at)
  SELECT MD5(CONCAT('order', u.id, '-', s.seq, RAND())), u.id, 'monthly', 9900, 100, 30,
         IF(s.seq = 1, 'paid', 'pending'), IF(s.seq = 1, CONCAT('4200', LPAD(u.id, 24, '0')), NULL),
         CONCAT('weixin://wxpay/bizpayurl?pr=bench', u.id, s.seq),
         IF(s.seq = 1, u.created_at + INTERVAL 2 HOUR, @now + INTERVAL 2 HOUR),
         IF(s.seq = 1, u.created_at + INTERVAL 1 MINUTE, NULL),
         IF(s.seq = 1, u.created_at, @now - INTERVAL 1 MINUTE), @now
  FROM users u JOIN seq_1_to_2 s;

SET @poses = (SELECT GROUP_CONCAT(CONCAT('\"output/@id/pose-', LPAD(seq, 2, '0'), '.png\"') ORDER BY seq)
              FROM seq_1_to_12);
-- 20 tasks per user, an hour apart after the payment, all finished (nothing for the engine to pick up)
INSERT INTO tasks (id, user_id, type, status, step, step_index, input_key, params, result_keys, error_message,
                   vendor_task_id, quota_cost, attempts, deadline_at, created_at, updated_at, completed_at)
  SELECT t.id, t.user_id, t.type, t.status, 'finished', 3, CONCAT('input/', t.user_id, '/', t.n, '.jpg'),
         '{\"scene\":\"studio\",\"category\":\"top\"}',
         IF(t.status = 'failed', NULL, IF(t.type = 'basic_clean',
            CONCAT('[\"output/', t.id, '/matting.png\",\"output/', t.id, '/white-bg.png\",\"output/', t.id,
                   '/enhanced.png\"]'),
            CONCAT('[', REPLACE(@poses, '@id', t.id), ']'))),
         IF(t.status = 'failed', 'the input image is gone', NULL), CONCAT('local-', t.id), 1, 1,
         t.created_at + INTERVAL IF(t.type = 'basic_clean', 2, 15) MINUTE, t.created_at,
         t.created_at + INTERVAL 10 SECOND, t.created_at + INTERVAL 10 SECOND
  FROM (SELECT MD5(CONCAT('task', u.id, '-', s.seq, RAND())) id, u.id user_id, s.seq n,
               IF(s.seq % 4 = 0, 'model_pose12', 'basic_clean') type, IF(s.seq % 10 = 0, 'failed', 'succeeded') status,
               u.created_at + INTERVAL 2 MINUTE + INTERVAL s.seq HOUR created_at
        FROM users u JOIN seq_1_to_20 s) t;

-- the ledger in time order per user; balance_after is the running sum
INSERT INTO quota_ledger (user_id, delta, reason, ref, balance_after, member_expires_after, created_at)
  SELECT user_id, delta, reason, ref,
         SUM(delta) OVER (PARTITION BY user_id ORDER BY created_at, reason, ref ROWS UNBOUNDED PRECEDING),
         member_expires_after, created_at
  FROM (SELECT user_id, quota delta, 'grant' reason, id ref, paid_at created_at,
               paid_at + INTERVAL duration_days DAY member_expires_after FROM orders WHERE status = 'paid'
        UNION ALL SELECT user_id, -quota_cost, 'deduct', id, created_at, NULL FROM tasks
        UNION ALL SELECT user_id, quota_cost, 'refund', id, completed_at, NULL FROM tasks WHERE status = 'failed') e
  ORDER BY user_id, created_at, reason, ref;

UPDATE users u
  JOIN (SELECT user_id, SUM(delta) balance FROM quota_ledger GROUP BY user_id) l ON l.user_id = u.id
  JOIN orders o ON o.user_id = u.id AND o.status = 'paid'
  SET u.quota_balance = l.balance, u.member_expires_at = o.paid_at + INTERVAL o.duration_days DAY;
ANALYZE TABLE users, tasks, orders, quota_ledger;" >/dev/null

# the ledger balances: each user's sum is their balance, and so is the balance_after of their last row
bad="$(sql "$target" -e "
  SELECT (SELECT COUNT(*) FROM users u LEFT JOIN (SELECT user_id, SUM(delta) s FROM quota_ledger GROUP BY user_id) l
            ON l.user_id = u.id WHERE u.quota_balance <> COALESCE(l.s, 0))
       + (SELECT COUNT(*) FROM quota_ledger q JOIN (SELECT user_id, MAX(id) id FROM quota_ledger GROUP BY user_id) m
            ON m.id = q.id JOIN users u ON u.id = q.user_id WHERE q.balance_after <> u.quota_balance)
       + (SELECT COUNT(*) FROM quota_ledger WHERE balance_after < 0)")"
[ "$bad" = 0 ] || die "the generated ledger does not balance ($bad mismatches)"
log "dataset ready in $((SECONDS - started))s: $(sql "$target" -e "SELECT CONCAT(
  (SELECT COUNT(*) FROM users), ' users, ', (SELECT COUNT(*) FROM tasks), ' tasks, ',
  (SELECT COUNT(*) FROM orders), ' orders (', (SELECT COUNT(*) FROM orders WHERE status = 'pending'), ' pending), ',
  (SELECT COUNT(*) FROM quota_ledger), ' ledger rows; the ledger balances')")"
