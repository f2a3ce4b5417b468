package com.aiphoto.core.ledger;

/** A change of quota the ledger refused; nothing was written. Subclasses say why (the server maps each to a code). */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LedgerException(String message) {
        super(message, null, false, false);
    }

    /** The user is not a member, or the membership has expired (the API's 403/1002). */
    public static final class MembershipRequired extends LedgerException {
        private static final long serialVersionUID = 1L;

        MembershipRequired(long userId) {
            super("user " + userId + " has no current membership");
        }
    }

    /** The balance is smaller than the amount to take (the API's 403/1003). */
    public static final class InsufficientQuota extends LedgerException {
        private static final long serialVersionUID = 1L;

        InsufficientQuota(long userId, int balance, int wanted) {
            super("user " + userId + " has " + balance + " quota, " + wanted + " needed");
        }
    }

    /** No such user (the API's 404/1004). */
    public static final class UnknownUser extends LedgerException {
        private static final long serialVersionUID = 1L;

        UnknownUser(long userId) {
            super("no user " + userId);
        }
    }

    /** A refund names a deduction that does not exist (or belongs to someone else). */
    public static final class NothingToRefund extends LedgerException {
        private static final long serialVersionUID = 1L;

        NothingToRefund(long userId, String ref) {
            super("no deduction " + ref + " of user " + userId + " to refund");
        }
    }
}
