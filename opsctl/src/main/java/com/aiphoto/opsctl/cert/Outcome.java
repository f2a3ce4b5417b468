package com.aiphoto.opsctl.cert;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What {@code cert init}, {@code renew} or {@code install} did to one certificate: one typed result that
 * {@link CertReport} renders either as the certificate's summary line or as its part of the --json document.
 * {@code serial}, {@code domains}, {@code notAfter} and {@code daysLeft} describe the certificate now installed
 * (the new one, or the current one when nothing changed); null when there is none or it is unknown.
 */
record Outcome(
        String name,
        Result result,
        String serial,
        List<String> domains,
        Instant notAfter,
        Long daysLeft,
        Instant dueAt,
        String detail,
        String error) {

    /** The result kinds; --json writes their names. */
    enum Result {
        /** A certificate was issued by ACME, installed and proved served. */
        RENEWED("renewed and served"),
        /** A certificate issued elsewhere was installed and proved served. */
        INSTALLED("installed and served"),
        /** Nothing to do yet. */
        NOT_DUE("not due"),
        /** --dry-run: would renew. */
        WOULD_RENEW("due"),
        /** --dry-run: the files pass every check and would be installed. */
        WOULD_INSTALL("would install"),
        /** --dry-run of init: would install a placeholder and order. */
        WOULD_INIT("would install a placeholder and order"),
        /** Attempted and failed (or held back by the back-off or the duplicate limit); see error. */
        FAILED("failed");

        final String words;

        Result(String words) {
            this.words = words;
        }
    }

    boolean ok() {
        return result != Result.FAILED;
    }

    /** A certificate now installed (or checked), described by its leaf; {@code detail} may be null. */
    static Outcome of(String name, Result result, X509Certificate leaf, Instant dueAt, String detail) {
        return new Outcome(
                name,
                result,
                leaf.getSerialNumber().toString(16),
                Chains.names(leaf),
                leaf.getNotAfter().toInstant(),
                Checks.daysLeft(leaf, Instant.now()),
                dueAt,
                detail,
                null);
    }

    /** No certificate to describe (e.g. init --dry-run): only the names asked for. */
    static Outcome planned(String name, Result result, List<String> domains, String detail) {
        return new Outcome(name, result, null, List.copyOf(domains), null, null, null, detail, null);
    }

    static Outcome failed(String name, String error) {
        return new Outcome(name, Result.FAILED, null, null, null, null, null, null, error);
    }
}
