package com.aiphoto.server.auth;

import com.aiphoto.core.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256) for a JSON POST to "/": canonical request over
 * content-type, host and x-tc-action, a string to sign scoped to date/service/tc3_request, and a key derived
 * from the secret through the date, the service and "tc3_request".
 */
final class Tc3Signer {
    public static final String ALGORITHM = "TC3-HMAC-SHA256";
    static final String CONTENT_TYPE = "application/json; charset=utf-8";
    static final String SIGNED_HEADERS = "content-type;host;x-tc-action";

    private final String secretId;
    private final String secretKey;

    public Tc3Signer(String secretId, String secretKey) {
        this.secretId = secretId;
        this.secretKey = secretKey;
    }

    /** The {@code Authorization} header value. */
    public String authorization(String service, String host, String action, String payload, Instant timestamp) {
        String date = DateTimeFormatter.ISO_LOCAL_DATE.format(timestamp.atOffset(ZoneOffset.UTC));
        String canonicalRequest = "POST\n/\n\n"
                + "content-type:" + CONTENT_TYPE + "\n"
                + "host:" + host + "\n"
                + "x-tc-action:" + action.toLowerCase(Locale.ROOT) + "\n\n"
                + SIGNED_HEADERS + "\n"
                + Secrets.sha256Hex(payload);
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp.getEpochSecond() + "\n" + scope + "\n"
                + Secrets.sha256Hex(canonicalRequest);
        byte[] secretDate = Secrets.hmacSha256(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), bytes(date));
        byte[] secretService = Secrets.hmacSha256(secretDate, bytes(service));
        byte[] secretSigning = Secrets.hmacSha256(secretService, bytes("tc3_request"));
        String signature = HexFormat.of().formatHex(Secrets.hmacSha256(secretSigning, bytes(stringToSign)));
        return ALGORITHM + " Credential=" + secretId + "/" + scope + ", SignedHeaders=" + SIGNED_HEADERS
                + ", Signature=" + signature;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
