package com.aiphoto.opsctl.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * PEM in and out: certificate bundles (leaf first, as nginx wants them) and private keys in any of the forms
 * that CAs and consoles hand out (PKCS#8, PKCS#1 RSA, SEC1 EC), through BouncyCastle's parser.
 */
public final class Pem {
    private Pem() {}

    /** Every certificate in the text, in order; empty when there is none. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (CertificateException e) {
            throw new CertException("not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file));
    }

    /** The private key in the text (a key pair's private half, or a bare PKCS#8 key). */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new CertException("no private key found (an encrypted key must be decrypted first)");
        } catch (IOException e) {
            throw new CertException("not a PEM private key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(Path file) {
        return privateKey(read(file));
    }

    /** PEM text of certificates, keys or key pairs, one block after the other. */
    public static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                if (o instanceof List<?> list) {
                    for (Object e : list) {
                        w.writeObject(e);
                    }
                } else if (o instanceof KeyPair kp) {
                    w.writeObject(pkcs8(kp.getPrivate()));
                } else if (o instanceof PrivateKey k) {
                    w.writeObject(pkcs8(k));
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    // "PRIVATE KEY" (PKCS#8), which every OpenSSL reads; BouncyCastle's default for a bare JDK EC key is not
    private static JcaPKCS8Generator pkcs8(PrivateKey key) throws PemGenerationException {
        return new JcaPKCS8Generator(key, null);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CertException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A key pair written as its private key followed by its public key (the ACME account key file). */
    public static KeyPair keyPair(Path file) {
        try (PEMParser parser = new PEMParser(new StringReader(read(file)))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey priv = null;
            java.security.PublicKey pub = null;
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair);
                } else if (o instanceof PrivateKeyInfo info) {
                    priv = converter.getPrivateKey(info);
                } else if (o instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info) {
                    pub = converter.getPublicKey(info);
                }
            }
            if (priv == null || pub == null) {
                throw new CertException(file + " does not hold a private and a public key");
            }
            return new KeyPair(pub, priv);
        } catch (IOException e) {
            throw new CertException("not a PEM key pair: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of the certificate's public key (sign and verify a probe). */
    public static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "ai-photo key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
