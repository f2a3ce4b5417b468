package com.aiphoto.server.payments;

import com.aiphoto.core.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The orders table. Status changes are conditional on the current status, so racing writers cannot undo each other. */
final class Orders {
    private static final String COLUMNS = "id, user_id, plan_id, amount_cents, quota, duration_days, status, "
            + "transaction_id, code_url, expires_at, paid_at, created_at";

    private final Jdbc jdbc;

    Orders(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Jdbc.Handle h, Order o) {
        h.update(
                "INSERT INTO orders (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                o.id(),
                o.userId(),
                o.planId(),
                o.amountCents(),
                o.quota(),
                o.durationDays(),
                o.status().id(),
                o.transactionId(),
                o.codeUrl(),
                o.expiresAt(),
                o.paidAt(),
                o.createdAt(),
                o.createdAt());
    }

    Optional<Order> byId(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM orders WHERE id = ?", Orders::map, id);
    }

    /** The order under its row lock, for the rest of the caller's transaction. */
    Optional<Order> lock(Jdbc.Handle h, String id) {
        return h.queryOne("SELECT " + COLUMNS + " FROM orders WHERE id = ? FOR UPDATE", Orders::map, id);
    }

    /** The user's newest pending order for the plan that is still open at {@code openUntil}. */
    Optional<Order> pendingFor(Jdbc.Handle h, long userId, String planId, Instant openUntil) {
        return h.queryOne(
                "SELECT " + COLUMNS + " FROM orders WHERE user_id = ? AND plan_id = ? AND status = 'pending' "
                        + "AND expires_at > ? AND code_url IS NOT NULL ORDER BY created_at DESC LIMIT 1",
                Orders::map,
                userId,
                planId,
                openUntil);
    }

    /** Locks the user's row: purchases of one user are serialised, so a double tap yields one pending order. */
    boolean lockUser(Jdbc.Handle h, long userId) {
        return h.queryOne("SELECT id FROM users WHERE id = ? FOR UPDATE", r -> r.getLong(1), userId)
                .isPresent();
    }

    /** Within the caller's transaction holding the order's lock. */
    void markPaid(Jdbc.Handle h, String id, String transactionId, Instant paidAt, Instant now) {
        h.update(
                "UPDATE orders SET status = 'paid', transaction_id = ?, paid_at = ?, updated_at = ? WHERE id = ?",
                transactionId,
                paidAt,
                now,
                id);
    }

    /** Closes a pending order; false when it is no longer pending (paid meanwhile, or closed already). */
    boolean closeIfPending(String id, Instant now) {
        return jdbc.update(
                        "UPDATE orders SET status = 'closed', updated_at = ? WHERE id = ? AND status = 'pending'",
                        now,
                        id)
                == 1;
    }

    /** Pending orders created before {@code before}, oldest first: the reconciler's work. */
    List<Order> pendingCreatedBefore(Instant before, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM orders WHERE status = 'pending' AND created_at < ? "
                        + "ORDER BY created_at LIMIT ?",
                Orders::map,
                before,
                limit);
    }

    private static Order map(ResultSet r) throws SQLException {
        return new Order(
                r.getString("id"),
                r.getLong("user_id"),
                r.getString("plan_id"),
                r.getLong("amount_cents"),
                r.getInt("quota"),
                r.getInt("duration_days"),
                Order.Status.of(r.getString("status")),
                r.getString("transaction_id"),
                r.getString("code_url"),
                Jdbc.instant(r, "expires_at"),
                Jdbc.instant(r, "paid_at"),
                Jdbc.instant(r, "created_at"));
    }
}
