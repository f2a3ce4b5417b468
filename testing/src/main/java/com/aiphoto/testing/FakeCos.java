package com.aiphoto.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A COS bucket on localhost speaking the wire format the SDK needs for PUT, GET and HEAD object: ETag (the
 * content's MD5, which the SDK compares after a PUT), Content-Length, Last-Modified. Every request's signature is
 * checked strictly (COS "q-sign" v5: HMAC-SHA1 over the method, path, signed parameters and headers), so a wrong
 * secret key, or one sent instead of a signature, fails with 403 as COS would.
 */
public final class FakeCos extends FakeServer {
    private final String secretId;
    private final String secretKey;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private volatile boolean corruptReads;

    public FakeCos(String secretId, String secretKey) {
        this.secretId = secretId;
        this.secretKey = secretKey;
    }

    /** The stored objects by key (live: tests may add or change objects). */
    public Map<String, byte[]> objects() {
        return objects;
    }

    /** From now on GET serves each object with its first byte changed (and an ETag to match). */
    public void corruptReads() {
        corruptReads = true;
    }

    /** Each request as "METHOD /path status". */
    public List<String> log() {
        return exchanges().stream().map(Exchange::toString).toList();
    }

    @Override
    protected Reply handle(Request req) {
        String key = req.decodedPath().substring(1);
        switch (req.method()) {
            case "PUT" -> {
                objects.put(key, req.body());
                return Reply.empty(200).header("ETag", etag(req.body()));
            }
            case "GET", "HEAD" -> {
                byte[] data = objects.get(key);
                if (data == null) {
                    return error(404, "NoSuchKey", "NoSuchKey");
                }
                if (corruptReads && data.length > 0) {
                    data = data.clone();
                    data[0] ^= 1;
                }
                return Reply.of(200, "application/octet-stream", data)
                        .header("ETag", etag(data))
                        .header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
            }
            default -> {
                return error(405, "MethodNotAllowed", "MethodNotAllowed");
            }
        }
    }

    @Override
    protected Reply rejected(Request req, String problem) {
        return error(403, "SignatureDoesNotMatch", problem);
    }

    private static Reply error(int status, String code, String message) {
        return Reply.of(
                status,
                "application/xml",
                ("<?xml version='1.0' encoding='utf-8' ?><Error><Code>" + code + "</Code><Message>" + message
                                + "</Message><RequestId>fake</RequestId></Error>")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected Optional<String> signatureProblem(Request req) {
        String auth = req.header("Authorization").orElse(null);
        if (auth == null) {
            return Optional.of("no Authorization header");
        }
        Map<String, String> a = new LinkedHashMap<>();
        for (String part : auth.split("&")) {
            int eq = part.indexOf('=');
            a.put(part.substring(0, eq), part.substring(eq + 1));
        }
        if (!"sha1".equals(a.get("q-sign-algorithm")) || !secretId.equals(a.get("q-ak"))) {
            return Optional.of("unknown algorithm or SecretId");
        }
        String keyTime = a.get("q-key-time");
        String[] window = keyTime.split(";");
        long now = System.currentTimeMillis() / 1000;
        if (now < Long.parseLong(window[0]) - 60 || now > Long.parseLong(window[1])) {
            return Optional.of("request time outside the signature's window");
        }
        Map<String, String> params = new TreeMap<>();
        for (String p : a.getOrDefault("q-url-param-list", "").split(";")) {
            if (!p.isEmpty()) {
                params.put(p, req.query(p).orElse(""));
            }
        }
        Map<String, String> headers = new TreeMap<>();
        for (String h : a.getOrDefault("q-header-list", "").split(";")) {
            if (!h.isEmpty()) {
                headers.put(h, req.header(h).orElse(""));
            }
        }
        String httpString = req.method().toLowerCase(Locale.ROOT) + "\n" + req.decodedPath() + "\n" + join(params)
                + "\n" + join(headers) + "\n";
        String stringToSign =
                "sha1\n" + keyTime + "\n" + hex("SHA-1", httpString.getBytes(StandardCharsets.UTF_8)) + "\n";
        String signKey = hmac(secretKey, keyTime);
        return hmac(signKey, stringToSign).equals(a.get("q-signature"))
                ? Optional.empty()
                : Optional.of("signature does not match");
    }

    private static String etag(byte[] data) {
        return "\"" + hex("MD5", data) + "\"";
    }

    private static String join(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(encode(k.toLowerCase(Locale.ROOT)) + "=" + encode(v)));
        return String.join("&", parts);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
