package com.aiphoto.core.ledger;

import java.time.Instant;

/**
 * One row of the quota ledger: {@code balanceAfter} is the user's quota once it applied, {@code memberExpiresAt}
 * the membership end a grant produced (null for other reasons). {@code repeated} is true when the call found
 * this row already written by an earlier call with the same reason and ref, and changed nothing.
 */
public record LedgerEntry(
        long id,
        long userId,
        Reason reason,
        String ref,
        int delta,
        int balanceAfter,
        Instant memberExpiresAt,
        String note,
        Instant createdAt,
        boolean repeated) {

    LedgerEntry asRepeat() {
        return new LedgerEntry(id, userId, reason, ref, delta, balanceAfter, memberExpiresAt, note, createdAt, true);
    }
}
