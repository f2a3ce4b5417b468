package com.aiphoto.opsctl.cert;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a served or installed chain must be: leaf first, each certificate signed by the next, the last one
 * signed by a trusted root (the JDK's roots plus the extra CA file ACME_TRUST_STORE names, for test CAs).
 * The checks name what is wrong in one line, since "served cert.pem without its chain" is the classic failure.
 */
final class Chains {
    private final List<X509Certificate> anchors;

    Chains(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    /** The JDK's default roots plus the certificates in {@code extraPem} (may be absent). */
    static Chains withDefaults(Optional<java.nio.file.Path> extraPem) {
        List<X509Certificate> all = new ArrayList<>();
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    all.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust store cannot be read", e);
        }
        extraPem.ifPresent(p -> all.addAll(Pem.certificates(p)));
        return new Chains(all);
    }

    List<X509Certificate> anchors() {
        return anchors;
    }

    /** Empty when {@code chain} is complete and ordered, else the one-line problem. */
    Optional<String> problem(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Optional.of("no certificate");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate next = chain.get(i + 1);
            if (!signedBy(c, next)) {
                boolean elsewhere = chain.stream().anyMatch(o -> !o.equals(c) && signedBy(c, o));
                return Optional.of("chain " + (elsewhere ? "out of order" : "broken") + ": certificate " + (i + 1)
                        + " (" + c.getSubjectX500Principal().getName() + ") is not signed by certificate " + (i + 2));
            }
        }
        X509Certificate last = chain.getLast();
        if (anchors.stream().anyMatch(a -> a.equals(last) || signedBy(last, a))) {
            return Optional.empty();
        }
        return Optional.of("chain incomplete: nothing trusted issued "
                + last.getSubjectX500Principal().getName() + " (issuer "
                + last.getIssuerX500Principal().getName() + "; is the intermediate missing?)");
    }

    /** Whether the chain ends in a self-signed certificate of its own (the placeholder). */
    static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Empty when the leaf is valid at {@code now}. */
    static Optional<String> validity(X509Certificate leaf, Instant now) {
        if (leaf.getNotAfter().before(Date.from(now))) {
            return Optional.of("certificate expired on " + leaf.getNotAfter().toInstant());
        }
        if (leaf.getNotBefore().after(Date.from(now))) {
            return Optional.of(
                    "certificate not valid before " + leaf.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    /** The DNS names and IP addresses of the leaf's subjectAltName. */
    static List<String> names(X509Certificate leaf) {
        try {
            var sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            return sans.stream()
                    .filter(e -> e.get(0) instanceof Integer t && (t == 2 || t == 7))
                    .map(e -> String.valueOf(e.get(1)))
                    .toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
    }

    /** Whether {@code names} covers {@code domain} (exactly, or by a one-label wildcard). */
    static boolean covers(List<String> names, String domain) {
        for (String n : names) {
            if (n.equalsIgnoreCase(domain)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = domain.indexOf('.');
                if (dot > 0 && domain.substring(dot + 1).equalsIgnoreCase(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
