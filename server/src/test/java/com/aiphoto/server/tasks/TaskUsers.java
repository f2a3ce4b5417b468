package com.aiphoto.server.tasks;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.auth.TestTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** The task tests' users: rows written directly (each with its own phone) and access tokens the server accepts. */
final class TaskUsers {
    private static final AtomicInteger PHONES = new AtomicInteger();

    private TaskUsers() {}

    record Caller(long id, String token) {
        String[] auth() {
            return new String[] {"Authorization", "Bearer " + token};
        }

        String[] auth(String idempotencyKey) {
            return new String[] {"Authorization", "Bearer " + token, "Idempotency-Key", idempotencyKey};
        }
    }

    /** A user without membership or quota. */
    static Caller user(Jdbc jdbc, String jwtSecret) {
        Instant now = Instant.now();
        long id = jdbc.insert(
                "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, 'user', 0, ?, ?)",
                "139"
                        + String.format(
                                Locale.ROOT,
                                "%08d",
                                (System.nanoTime() / 1000 + PHONES.incrementAndGet()) % 100_000_000L),
                now,
                now);
        return new Caller(id, TestTokens.issue(jwtSecret, id));
    }

    /** A user who bought {@code quota} (a real ledger grant: membership for 30 days); none for 0. */
    static Caller member(Jdbc jdbc, String jwtSecret, int quota) {
        Caller c = user(jdbc, jwtSecret);
        if (quota > 0) {
            // no server has read this new user yet: there is no cached row to evict
            new QuotaLedger(jdbc, Clock.systemUTC(), AccountChanges.NONE)
                    .grant(c.id(), quota, 30, "test-grant-" + c.id());
        }
        return c;
    }
}
