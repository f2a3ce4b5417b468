package com.aiphoto.server.auth;

import java.nio.charset.StandardCharsets;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt password hashes. bcrypt reads at most 72 bytes, so longer passwords are refused rather than cut. */
final class Passwords {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 72;

    private final int cost;
    /**
     * Compared against when the account has no password, so "no such user" costs the same time as a wrong one.
     * Made on first use: a bcrypt hash at start-up would slow every start for nothing.
     */
    private volatile String dummyHash;

    public Passwords(int cost) {
        this.cost = cost;
    }

    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = hash(Secrets.randomToken(16));
            dummyHash = h;
        }
        return h;
    }

    /** 400/2000 unless 8..72 characters, well-formed UTF-16 and at most 72 bytes in UTF-8. */
    public static void validate(String password, String field) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH
                || !usable(password)) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION,
                    field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
    }

    public String hash(String password) {
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), Secrets.randomBytes(16), cost);
    }

    /** Constant work whether or not {@code hash} is null. */
    public boolean matches(String password, String hash) {
        if (password == null || password.isEmpty() || !usable(password)) {
            OpenBSDBCrypt.checkPassword(dummyHash(), "x".toCharArray());
            return false;
        }
        boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? dummyHash() : hash, password.toCharArray());
        return ok && hash != null;
    }

    /**
     * bcrypt can take it: no lone surrogate (BouncyCastle's UTF-8 encoder throws on one, and getBytes would
     * silently turn it into '?') and at most 72 bytes.
     */
    private static boolean usable(String password) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(password)
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_LENGTH;
    }
}
