package com.aiphoto.opsctl.cert;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * When a certificate is due and how it is renewed. ARI first: a random time inside the CA's suggested window,
 * kept until the window changes, and the CA asked again only after its Retry-After (persisted). Without ARI:
 * when a third of the lifetime or 30 days remain, whichever comes first. Failures back off (persisted); the
 * duplicate-certificate ledger is checked before every order, {@code --force} included.
 */
final class Renewal {
    private final AcmeState state;
    private final AcmeClient acme;
    private final Installer installer;
    private final CertFilesFor files;

    interface CertFilesFor {
        CertFiles of(String name);
    }

    Renewal(AcmeState state, AcmeClient acme, Installer installer, CertFilesFor files) {
        this.state = state;
        this.acme = acme;
        this.installer = installer;
        this.files = files;
    }

    /**
     * The decision for one certificate and why, in the words of its summary line; {@code at}: when it is (or
     * was) due, null when that is not a matter of time (forced, a placeholder, nothing installed).
     */
    record Decision(boolean due, String why, Instant at) {}

    /** Whether {@code c} (with {@code leaf} installed) is due now; may ask the CA for renewal info once. */
    Decision decide(AcmeState.Cert c, X509Certificate leaf, Instant now, boolean force) throws IOException {
        if (force) {
            return new Decision(true, "forced", null);
        }
        if (Chains.selfSigned(leaf)) {
            return new Decision(true, "a placeholder is installed", null);
        }
        AcmeState.Cert s = c;
        if (s.ariCheckAfter() == null || !now.isBefore(s.ariCheckAfter())) {
            try {
                if (acme.offersRenewalInfo()) {
                    AcmeClient.Window w = acme.renewalInfo(leaf);
                    Instant renewAt = s.renewAt() != null
                                    && w.start().equals(s.ariWindowStart())
                                    && w.end().equals(s.ariWindowEnd())
                            ? s.renewAt()
                            : randomIn(w.start(), w.end());
                    Instant checkAfter = w.retryAfter()
                            .map(r -> clamp(r, now.plus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1))))
                            .orElse(now.plus(Duration.ofHours(6)));
                    s = s.withAri(w.start(), w.end(), renewAt, checkAfter);
                    state.save(s);
                }
            } catch (AcmeException e) {
                // no renewal info now: the lifetime rule decides (a due certificate then meets the CA anyway)
                s = s.withAri(null, null, null, null);
            }
        }
        if (s.renewAt() != null) {
            return new Decision(
                    !now.isBefore(s.renewAt()),
                    "ARI window " + s.ariWindowStart() + " .. " + s.ariWindowEnd() + ", renewal at " + s.renewAt(),
                    s.renewAt());
        }
        Instant due = fallbackDue(leaf);
        return new Decision(
                !now.isBefore(due), "no renewal info; due at " + due + " (1/3 of lifetime or 30 days)", due);
    }

    /** notAfter minus the larger of a third of the lifetime and 30 days. */
    static Instant fallbackDue(X509Certificate leaf) {
        Instant from = leaf.getNotBefore().toInstant();
        Instant to = leaf.getNotAfter().toInstant();
        Duration third = Duration.between(from, to).dividedBy(3);
        Duration margin = third.compareTo(Duration.ofDays(30)) > 0 ? third : Duration.ofDays(30);
        return to.minus(margin);
    }

    private static Instant randomIn(Instant start, Instant end) {
        long span = Duration.between(start, end).toMillis();
        return span <= 0 ? start : start.plusMillis(ThreadLocalRandom.current().nextLong(span));
    }

    private static Instant clamp(Instant t, Instant min, Instant max) {
        return t.isBefore(min) ? min : t.isAfter(max) ? max : t;
    }

    /**
     * Orders, installs (the transaction) and records a new certificate for {@code c}; {@code replaces} is the
     * certificate it succeeds (none for a placeholder). A failure is recorded with its back-off and rethrown.
     */
    Outcome renew(AcmeState.Cert c, Optional<X509Certificate> replaces, Instant now) throws IOException {
        Optional<Instant> limited = state.duplicateLimitUntil(c.domains(), now);
        if (limited.isPresent()) {
            throw new CertException("refused: " + AcmeState.DUPLICATE_LIMIT + " certificates for exactly "
                    + String.join(",", AcmeState.canonical(c.domains())) + " in 7 days (Let's Encrypt's"
                    + " duplicate-certificate limit); next possible at " + limited.get());
        }
        try {
            AcmeClient.Issued issued = acme.issue(c.domains(), c.keyType(), replaces);
            X509Certificate leaf = issued.chain().getFirst();
            state.recordIssued(c.domains(), now, leaf.getSerialNumber().toString(16));
            installer.install(
                    files.of(c.name()),
                    issued.chain(),
                    issued.key().getPrivate(),
                    c.domains().getFirst());
            state.save(c.renewed());
            return Outcome.of(c.name(), Outcome.Result.RENEWED, leaf, null, issued.note());
        } catch (AcmeException | CertException | IOException e) {
            String why = e instanceof AcmeException ? "ACME: " + oneLine(e) : oneLine(e);
            AcmeState.Cert failed = c.failed(why, now);
            state.save(failed);
            throw new CertException(
                    why + " (failure " + failed.failures() + ", next attempt not before " + failed.backoffUntil() + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertException("interrupted", e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (e instanceof AcmeException && cause != null && cause.getMessage() != null) {
            m = m + ": " + cause.getMessage();
        }
        return m.replaceAll("\\R", " ");
    }

    /** The certificates with state, or {@code only} when it has state; empty when there is nothing to renew. */
    static List<String> names(AcmeState state, String only) throws IOException {
        if (only == null) {
            return state.names();
        }
        return state.load(only).isPresent() ? List.of(only) : List.of();
    }
}
