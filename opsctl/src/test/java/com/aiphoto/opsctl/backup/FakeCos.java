package com.aiphoto.opsctl.backup;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A COS bucket on localhost speaking the wire format the SDK needs for PUT, GET and HEAD object: ETag (the
 * content's MD5, which the SDK compares after a PUT), Content-Length, Last-Modified. Every request's
 * signature is checked strictly (COS "q-sign" v5: HMAC-SHA1 over the method, path, signed parameters and
 * headers), so a wrong secret key, or one sent instead of a signature, fails with 403 as COS would.
 * A Helidon server: the JDK's HttpServer mishandles Content-Length on GET for the SDK.
 */
final class FakeCos implements AutoCloseable {
    private final String secretId;
    private final String secretKey;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();
    private final WebServer server;
    private volatile boolean corruptReads;

    FakeCos(String secretId, String secretKey) {
        this.secretId = secretId;
        this.secretKey = secretKey;
        this.server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(r -> r.any(this::handle))
                .build().start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    Map<String, byte[]> objects() {
        return objects;
    }

    /** From now on GET serves each object with its first byte changed (and an ETag to match). */
    void corruptReads() {
        corruptReads = true;
    }

    /** Each request as "METHOD /path [status]". */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        String path = req.path().rawPath();
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        String denied = signatureProblem(req, method, path);
        if (denied != null) {
            respond(res, method, path, Status.FORBIDDEN_403, denied);
            return;
        }
        String key = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
        switch (method) {
            case "PUT" -> {
                objects.put(key, body);
                res.header("ETag", "\"" + hex("MD5", body) + "\"");
                respond(res, method, path, Status.OK_200, null);
            }
            case "GET", "HEAD" -> {
                byte[] data = objects.get(key);
                if (data == null) {
                    respond(res, method, path, Status.NOT_FOUND_404, "NoSuchKey");
                    return;
                }
                if (corruptReads && data.length > 0) {
                    data = data.clone();
                    data[0] ^= 1;
                }
                res.header("ETag", "\"" + hex("MD5", data) + "\"");
                res.header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
                res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
                synchronized (this) {
                    log.add(method + " " + path + " 200");
                }
                if (method.equals("HEAD")) {
                    res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(data.length));
                    res.send();
                } else {
                    res.send(data);
                }
            }
            default -> respond(res, method, path, Status.METHOD_NOT_ALLOWED_405, "MethodNotAllowed");
        }
    }

    private void respond(ServerResponse res, String method, String path, Status status, String error) {
        synchronized (this) {
            log.add(method + " " + path + " " + status.code());
        }
        res.status(status);
        if (error == null) {
            res.send();
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/xml");
            res.send("<?xml version='1.0' encoding='utf-8' ?><Error><Code>" + (status.code() == 403
                    ? "SignatureDoesNotMatch" : error) + "</Code><Message>" + error + "</Message><RequestId>fake"
                    + "</RequestId></Error>");
        }
    }

    /** Why the signature is wrong, or null when it is right. */
    private String signatureProblem(ServerRequest req, String method, String path) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (auth == null) {
            return "no Authorization header";
        }
        Map<String, String> a = new LinkedHashMap<>();
        for (String part : auth.split("&")) {
            int eq = part.indexOf('=');
            a.put(part.substring(0, eq), part.substring(eq + 1));
        }
        if (!"sha1".equals(a.get("q-sign-algorithm")) || !secretId.equals(a.get("q-ak"))) {
            return "unknown algorithm or SecretId";
        }
        String keyTime = a.get("q-key-time");
        String[] window = keyTime.split(";");
        long now = System.currentTimeMillis() / 1000;
        if (now < Long.parseLong(window[0]) - 60 || now > Long.parseLong(window[1])) {
            return "request time outside the signature's window";
        }
        Map<String, String> params = new TreeMap<>();
        for (String p : a.getOrDefault("q-url-param-list", "").split(";")) {
            if (!p.isEmpty()) {
                params.put(p, req.query().first(p).orElse(""));
            }
        }
        Map<String, String> headers = new TreeMap<>();
        for (String h : a.getOrDefault("q-header-list", "").split(";")) {
            if (!h.isEmpty()) {
                headers.put(h, req.headers().first(HeaderNames.create(h)).orElse(""));
            }
        }
        String httpString = method.toLowerCase() + "\n" + URLDecoder.decode(path, StandardCharsets.UTF_8) + "\n"
                + join(params) + "\n" + join(headers) + "\n";
        String stringToSign = "sha1\n" + keyTime + "\n" + hex("SHA-1", httpString.getBytes(StandardCharsets.UTF_8))
                + "\n";
        String signKey = hmac(secretKey, keyTime);
        return hmac(signKey, stringToSign).equals(a.get("q-signature")) ? null : "signature does not match";
    }

    private static String join(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(encode(k.toLowerCase()) + "=" + encode(v)));
        return String.join("&", parts);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
