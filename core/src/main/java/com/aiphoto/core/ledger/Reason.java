package com.aiphoto.core.ledger;

import java.util.Locale;

/** Why quota changed; stored lowercase in {@code quota_ledger.reason}. */
public enum Reason {
    /** A paid plan: quota added and membership extended. */
    GRANT,
    /** Quota spent (a task was created). */
    DEDUCT,
    /** A deduction given back (its task failed or timed out), once. */
    REFUND,
    /** An operator's correction, with a note. */
    ADJUST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Reason of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
