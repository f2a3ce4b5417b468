package com.aiphoto.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.aiphoto.core.account.Role;
import com.aiphoto.core.crypto.Secrets;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.Json;
import jakarta.json.JsonString;

/**
 * Access tokens: JWT HS256 over {@code JWT_SECRET} with {@code kid} in the header and {@code sub}, {@code role},
 * {@code iat}, {@code exp}, {@code jti}; {@code nbf} is honoured when present. Only HS256 is accepted: the
 * algorithm is checked before the signature, so {@code alg:none} and RS/HS confusion fail whatever the library
 * would otherwise try.
 */
final class AccessTokens {
    static final String ALG = "HS256";
    /** Names the key in the token header, so a second key can be added when JWT_SECRET is rotated. */
    static final String KEY_ID = "ai-photo-1";

    /** What a valid token says. */
    public record Claims(long userId, Role role, String jwtId, Instant expiresAt, Instant issuedAt) {
    }

    private final JwkOctet key;
    private final JwkKeys keys;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(byte[] secret, Duration lifetime, Clock clock) {
        this.key = JwkOctet.create(Json.createObjectBuilder()
                .add("kty", "oct")
                .add("alg", ALG)
                .add("kid", KEY_ID)
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
        this.keys = JwkKeys.builder().addKey(key).build();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public static byte[] secretBytes(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(User user) {
        Instant now = clock.instant();
        Jwt jwt = Jwt.builder()
                .type("JWT")
                .algorithm(ALG)
                .keyId(KEY_ID)
                .subject(Long.toString(user.id()))
                .addPayloadClaim("role", user.role().id())
                .issueTime(now)
                .expirationTime(now.plus(lifetime))
                .jwtId(Secrets.randomHex(16))
                .build();
        return SignedJwt.sign(jwt, (Jwk) key).tokenContent();
    }

    /**
     * The signature is spelled the one way the encoder writes it: base64url decoding ignores a last character's
     * spare bits, so without this one signature would have several accepted spellings (and token strings).
     */
    private static boolean canonicalSignature(String token, SignedJwt signed) {
        return token.substring(token.lastIndexOf('.') + 1)
                .equals(Base64.getUrlEncoder().withoutPadding().encodeToString(signed.getSignature()));
    }

    /** The claims of a well-formed, HS256-signed, unexpired token; empty for anything else. */
    public Optional<Claims> verify(String token) {
        try {
            SignedJwt signed = SignedJwt.parseToken(token);
            if (!ALG.equals(signed.getJwt().algorithm().orElse(null))
                    || !KEY_ID.equals(signed.getJwt().keyId().orElse(null)) || !canonicalSignature(token, signed)) {
                return Optional.empty();
            }
            if (!signed.verifySignature(keys, key).isValid()) {
                return Optional.empty();
            }
            Jwt jwt = signed.getJwt();
            Instant now = clock.instant();
            Optional<Instant> exp = jwt.expirationTime();
            if (exp.isEmpty() || !exp.get().isAfter(now) || jwt.issueTime().isEmpty()
                    || jwt.notBefore().filter(now::isBefore).isPresent()) {
                return Optional.empty();
            }
            long userId = Long.parseLong(jwt.subject().orElseThrow());
            Role role = Role.parse(jwt.payloadClaim("role").map(v -> ((JsonString) v).getString()).orElseThrow());
            return Optional.of(new Claims(userId, role, jwt.jwtId().orElse(""), exp.get(), jwt.issueTime().get()));
        } catch (RuntimeException e) {
            // malformed base64/JSON, missing or mistyped claims: all just "not a valid token"
            return Optional.empty();
        }
    }
}
