package com.aiphoto.server.auth;

import com.aiphoto.core.account.Role;
import com.aiphoto.core.crypto.Secrets;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens: JWT HS256 over {@code JWT_SECRET} with {@code kid} in the header and {@code sub}, {@code role},
 * {@code iat}, {@code exp}, {@code jti}; {@code nbf} is honoured when present. Issued with helidon-security-jwt. Verified by hand, because every authenticated request pays for
 * it and the library decodes and parses the token through JSON-P twice: the HMAC over the raw signing input is
 * checked first (constant time, against the canonical base64url of the expected MAC), and only a token we signed
 * is decoded, once, with Jackson's streaming parser. Comparing against the canonical spelling also refuses
 * non-canonical base64url signatures (decoding ignores a last character's spare bits). A token we signed can only say {@code alg: HS256}, so
 * {@code alg:none} and RS/HS confusion fail at the MAC; the header is still checked.
 */
final class AccessTokens {
    static final String ALG = "HS256";
    /** Names the key in the token header, so a second key can be added when JWT_SECRET is rotated. */
    static final String KEY_ID = "ai-photo-1";

    /** What a valid token says. */
    public record Claims(long userId, Role role, String jwtId, Instant expiresAt, Instant issuedAt) {}

    private final JwkOctet key;
    /** Initialised once; {@link Mac} is not thread-safe, so each verification uses a clone. */
    private final Mac mac;

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(byte[] secret, Duration lifetime, Clock clock) {
        this.key = JwkOctet.create(Json.createObjectBuilder()
                .add("kty", "oct")
                .add("alg", ALG)
                .add("kid", KEY_ID)
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
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

    /** The claims of a well-formed, HS256-signed, unexpired token; empty for anything else. */
    public Optional<Claims> verify(String token) {
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 <= dot1 + 1 || token.indexOf('.', dot2 + 1) >= 0 || token.length() > 4096) {
            return Optional.empty();
        }
        try {
            if (!signatureMatches(token, dot2)) {
                return Optional.empty();
            }
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] header = b64.decode(token.substring(0, dot1));
            if (!ALG.equals(stringField(header, "alg")) || !KEY_ID.equals(stringField(header, "kid"))) {
                return Optional.empty();
            }
            return claims(b64.decode(token.substring(dot1 + 1, dot2)));
        } catch (IOException | RuntimeException e) {
            // malformed base64/JSON, missing or mistyped claims: all just "not a valid token"
            return Optional.empty();
        }
    }

    private boolean signatureMatches(String token, int dot2) {
        Mac m;
        try {
            m = (Mac) mac.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HmacSHA256 provider cannot clone", e);
        }
        byte[] input = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(m.doFinal(input));
        byte[] actual = token.substring(dot2 + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private Optional<Claims> claims(byte[] payload) throws IOException {
        String sub = null;
        String role = null;
        String jti = "";
        long exp = -1;
        long iat = -1;
        long nbf = -1;
        try (JsonParser p = json.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "sub" -> sub = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "role" -> role = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "jti" -> jti = t == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "exp" -> exp = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "iat" -> iat = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "nbf" -> nbf = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : Long.MAX_VALUE;
                    default -> p.skipChildren();
                }
            }
        }
        Instant now = clock.instant();
        Instant expiresAt = Instant.ofEpochSecond(Math.max(exp, 0));
        if (sub == null
                || role == null
                || exp < 0
                || iat < 0
                || !expiresAt.isAfter(now)
                || (nbf >= 0 && now.isBefore(Instant.ofEpochSecond(nbf)))) {
            return Optional.empty();
        }
        return Optional.of(
                new Claims(Long.parseLong(sub), Role.parse(role), jti, expiresAt, Instant.ofEpochSecond(iat)));
    }

    /** A top-level string member of a JSON object, or null. */
    private String stringField(byte[] object, String field) throws IOException {
        try (JsonParser p = json.createParser(object)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(field)) {
                    value = t == JsonToken.VALUE_STRING ? p.getText() : null;
                } else {
                    p.skipChildren();
                }
            }
            return value;
        }
    }
}
