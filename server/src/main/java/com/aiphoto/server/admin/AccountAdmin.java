package com.aiphoto.server.admin;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.account.Role;
import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.LedgerEntry;
import com.aiphoto.core.ledger.LedgerException;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin writes to accounts. Each change and its audit row commit in one transaction (an audit row that cannot
 * be written undoes the change).
 */
final class AccountAdmin {
    static final int MAX_REASON = 200;
    static final int MAX_DELTA = 1_000_000;

    /** The answer of a quota adjustment: the balance after it. {@code repeated}: an Idempotency-Key seen before. */
    record Adjusted(long userId, int delta, int quotaRemaining, long ledgerId, boolean repeated) {}

    /** Who asked, from where: what the audit row records. */
    record Actor(long adminId, String clientIp, String userAgent, String requestId) {
        AuditLog.Entry entry(String action, String type, String id, Map<String, ?> details) {
            return AuditLog.Entry.byAdmin(adminId, action, type, id, details, clientIp, userAgent, requestId);
        }
    }

    private final Jdbc jdbc;
    private final QuotaLedger ledger;
    private final AuditLog audit;
    private final AccountChanges changes;
    private final Clock clock;

    AccountAdmin(Jdbc jdbc, QuotaLedger ledger, AuditLog audit, AccountChanges changes, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.audit = audit;
        this.changes = changes;
        this.clock = clock;
    }

    /**
     * Adds {@code delta} (negative takes away) through the ledger, never below zero. With an idempotency key the
     * same request repeated (a retry after a lost answer) changes the quota once: the ledger's ref is derived from
     * admin, user and key.
     */
    Adjusted adjustQuota(Actor actor, long userId, int delta, String reason, Optional<String> idempotencyKey) {
        if (delta == 0 || Math.abs((long) delta) > MAX_DELTA) {
            throw ApiException.invalid(
                    "delta", "must be a non-zero integer between -" + MAX_DELTA + " and " + MAX_DELTA);
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw ApiException.invalid("reason", "required, 1.." + MAX_REASON + " characters");
        }
        String ref = idempotencyKey
                .map(k -> "admin:"
                        + Secrets.sha256Hex(actor.adminId() + "\n" + userId + "\n" + k)
                                .substring(0, 40))
                .orElseGet(() -> "admin:" + Secrets.randomHex(16));
        String note = why + " [admin:" + actor.adminId() + "]";
        try {
            return jdbc.inTransaction(h -> {
                LedgerEntry e =
                        ledger.adjust(h, userId, delta, ref, note.length() > 255 ? note.substring(0, 255) : note);
                if (!e.repeated()) {
                    audit.record(
                            h,
                            actor.entry(
                                    "user.quota.adjust",
                                    "user",
                                    Long.toString(userId),
                                    Map.of(
                                            "delta",
                                            e.delta(),
                                            "balanceAfter",
                                            e.balanceAfter(),
                                            "reason",
                                            why,
                                            "ledgerRef",
                                            ref)));
                }
                return new Adjusted(userId, e.delta(), e.balanceAfter(), e.id(), e.repeated());
            });
        } catch (LedgerException.InsufficientQuota e) {
            int balance = jdbc.queryOne("SELECT quota_balance FROM users WHERE id = ?", r -> r.getInt(1), userId)
                    .orElse(0);
            throw ApiException.invalid(
                    "delta",
                    "would take the balance below zero (user " + userId + " has " + balance + "); nothing changed");
        }
    }

    /**
     * Sets the role. Demoting an admin locks every admin row first (in id order, so two demotions queue rather
     * than deadlock) and refuses to leave no admin: of two concurrent demotions of the last two admins, the second
     * sees one admin left once the first commits, and fails.
     */
    void setRole(Actor actor, long userId, Role role) {
        jdbc.inTransaction(h -> {
            List<Long> admins =
                    h.query("SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE", r -> r.getLong(1));
            Role current = h.queryOne(
                            "SELECT role FROM users WHERE id = ? FOR UPDATE", r -> Role.parse(r.getString(1)), userId)
                    .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "no user " + userId));
            if (current == role) {
                return null; // nothing changed, nothing to record
            }
            if (current == Role.ADMIN && admins.size() <= 1) {
                throw ApiException.invalid(
                        "role", "user " + userId + " is the last admin and cannot be demoted; promote another first");
            }
            h.update("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", role.id(), Instant.now(clock), userId);
            h.afterCommit(() -> changes.changed(userId));
            audit.record(
                    h,
                    actor.entry(
                            "user.role.set",
                            "user",
                            Long.toString(userId),
                            Map.of("from", current.id(), "to", role.id())));
            return null;
        });
    }
}
