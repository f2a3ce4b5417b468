package com.aiphoto.opsctl.cert;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 certificates made here: the short-lived placeholder {@code cert init} installs so nginx can start its
 * TLS servers before the CA has issued anything, and (in tests) a CA and what it signs.
 */
public final class SelfSigned {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSigned() {}

    /** A self-signed leaf for the domains, valid from a minute ago for {@code lifetime}. */
    public static X509Certificate placeholder(KeyPair key, List<String> domains, Duration lifetime) {
        Instant from = Instant.now().minusSeconds(60);
        String name = "CN=" + domains.getFirst();
        return issue(key, name, key, name, domains, false, from, from.plus(lifetime));
    }

    /**
     * A certificate for {@code subjectKey} named {@code subject}, signed by {@code issuerKey} as {@code issuer};
     * {@code ca} makes it a CA certificate (no names), else a TLS server leaf for {@code domains}.
     */
    public static X509Certificate issue(
            KeyPair subjectKey,
            String subject,
            KeyPair issuerKey,
            String issuer,
            List<String> domains,
            boolean ca,
            Instant notBefore,
            Instant notAfter) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name(issuer),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    new X500Name(subject),
                    subjectKey.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey.getPublic()));
            b.addExtension(
                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey.getPublic()));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(domains.stream()
                                .map(d -> new GeneralName(
                                        d.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, d))
                                .toArray(GeneralName[]::new)));
            }
            String alg = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
        } catch (OperatorCreationException | CertificateException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }
}
