package com.aiphoto.opsctl.cert;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** Private key types for certificates ({@code --key-type}); EC P-256 by default, as Let's Encrypt suggests. */
public enum KeyType {
    RSA2048,
    RSA4096,
    EC256,
    EC384;

    /** A fresh key pair of this type. */
    public KeyPair generate() {
        try {
            return switch (this) {
                case RSA2048, RSA4096 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(this == RSA2048 ? 2048 : 4096);
                    yield g.generateKeyPair();
                }
                case EC256, EC384 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(this == EC256 ? "secp256r1" : "secp384r1"));
                    yield g.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    /** The option spelling, e.g. {@code ec256}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    static KeyType parse(String s) {
        for (KeyType t : values()) {
            if (t.option().equals(s.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + s + "' (rsa2048, rsa4096, ec256, ec384)");
    }
}
