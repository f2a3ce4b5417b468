package com.aiphoto.opsctl.cert;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The checks a certificate must pass before it is installed. */
final class Checks {
    private Checks() {}

    /** Throws naming the first problem: key, validity, names, chain (in the order an operator fixes them). */
    static void refuseUnusable(
            List<X509Certificate> chain, PrivateKey key, List<String> domains, Chains chains, Instant now) {
        X509Certificate leaf = chain.getFirst();
        if (leaf.getBasicConstraints() != -1) {
            throw new CertException("chain out of order: the first certificate (" + subject(leaf)
                    + ") is a CA certificate; the leaf must come first");
        }
        if (!Pem.keyMatches(key, leaf)) {
            throw new CertException("the private key does not match the certificate (" + subject(leaf) + ")");
        }
        Chains.validity(leaf, now).ifPresent(p -> {
            throw new CertException(p);
        });
        List<String> names = Chains.names(leaf);
        List<String> uncovered =
                domains.stream().filter(d -> !Chains.covers(names, d)).toList();
        if (!uncovered.isEmpty()) {
            throw new CertException("the certificate does not cover " + String.join(", ", uncovered) + " (it names "
                    + String.join(", ", names) + ")");
        }
        chains.problem(chain).ifPresent(p -> {
            throw new CertException(p);
        });
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    static long daysLeft(X509Certificate leaf, Instant now) {
        return Duration.between(now, leaf.getNotAfter().toInstant()).toDays();
    }
}
