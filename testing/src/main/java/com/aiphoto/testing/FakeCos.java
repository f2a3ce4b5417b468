package com.aiphoto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URLDecoder;
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
 * A COS bucket on localhost speaking the wire format the SDK needs for PUT, GET (with Range), HEAD, copy (PUT with
 * {@code x-cos-copy-source}) and DELETE object: ETag (the content's MD5, which the SDK compares after a PUT),
 * Content-Length, Content-Type as uploaded, Last-Modified. Every request's signature is checked strictly (COS
 * "q-sign" v5 in the Authorization header or a presigned URL's query), so a wrong secret key, an expired or
 * tampered signature, or a presigned PUT with another Content-Type or length than signed fails with 403 as COS
 * would. {@code ?image_process} runs COS's in-cloud image processing with real image output ({@link
 * #imageProcess}).
 */
public class FakeCos extends FakeServer {
    /** COS's limit of rules in one Pic-Operations. */
    public static final int MAX_RULES = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secretId;
    private final String secretKey;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
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
        if (req.query("image_process").isPresent()) {
            return imageProcess(req, key);
        }
        switch (req.method()) {
            case "PUT" -> {
                Optional<String> source = req.header("x-cos-copy-source");
                if (source.isPresent()) {
                    return copy(source.get(), key);
                }
                objects.put(key, req.body());
                types.put(key, req.header("Content-Type").orElse("application/octet-stream"));
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
                int status = 200;
                Optional<String> range = req.header("Range");
                String contentRange = null;
                if (range.isPresent() && range.get().matches("bytes=\\d+-\\d*")) {
                    String[] r = range.get().substring(6).split("-", -1);
                    int from = Math.min(Integer.parseInt(r[0]), data.length);
                    int to = r[1].isEmpty() ? data.length - 1 : Math.min(Integer.parseInt(r[1]), data.length - 1);
                    contentRange = "bytes " + from + "-" + to + "/" + data.length;
                    data = java.util.Arrays.copyOfRange(data, from, Math.max(from, to + 1));
                    status = 206;
                }
                Reply reply = Reply.of(status, types.getOrDefault(key, "application/octet-stream"), data)
                        .header("ETag", etag(data))
                        .header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
                return contentRange == null ? reply : reply.header("Content-Range", contentRange);
            }
            case "DELETE" -> {
                objects.remove(key);
                types.remove(key);
                return Reply.empty(204);
            }
            default -> {
                return error(405, "MethodNotAllowed", "MethodNotAllowed");
            }
        }
    }

    /** PUT with {@code x-cos-copy-source: <bucket host>/<key>}: a server-side copy inside this bucket. */
    private Reply copy(String source, String key) {
        String decoded = URLDecoder.decode(source, StandardCharsets.UTF_8);
        int slash = decoded.indexOf('/');
        String from = slash < 0 ? decoded : decoded.substring(slash + 1);
        byte[] data = objects.get(from);
        if (data == null) {
            return error(404, "NoSuchKey", "NoSuchKey");
        }
        objects.put(key, data);
        types.put(key, types.getOrDefault(from, "application/octet-stream"));
        return Reply.of(
                        200,
                        "application/xml",
                        ("<?xml version='1.0' encoding='utf-8' ?><CopyObjectResult><ETag>" + etag(data)
                                        + "</ETag><LastModified>2024-01-01T00:00:00Z</LastModified></CopyObjectResult>")
                                .getBytes(StandardCharsets.UTF_8))
                .header("ETag", etag(data));
    }

    /**
     * {@code POST /<key>?image_process}: COS's in-cloud processing. The {@code Pic-Operations} header is JSON
     * {@code {"is_pic_info":0|1,"rules":[{"bucket","fileid","rule"}]}} with one to five rules; a {@code fileid}
     * with a leading {@code /} is a key in the bucket, one without is relative to the source's folder (as on COS).
     * Every rule is validated before anything is written ({@link FakeCosImages} lists the operations); the
     * answer is COS's XML {@code UploadResult} with {@code OriginalInfo} and one {@code ProcessResults/Object}
     * per rule. Subclasses may override it to script other answers.
     */
    protected Reply imageProcess(Request req, String key) {
        if (!req.method().equals("POST")) {
            return error(405, "MethodNotAllowed", "image_process takes POST");
        }
        byte[] source = objects.get(key);
        if (source == null) {
            return error(404, "NoSuchKey", "NoSuchKey");
        }
        JsonNode ops;
        try {
            ops = JSON.readTree(req.header("Pic-Operations").orElse(""));
        } catch (IOException e) {
            return error(400, "InvalidArgument", "Pic-Operations is not JSON");
        }
        JsonNode rules = ops == null ? null : ops.get("rules");
        if (rules == null || !rules.isArray() || rules.isEmpty() || rules.size() > MAX_RULES) {
            return error(400, "InvalidArgument", "Pic-Operations needs 1 to " + MAX_RULES + " rules");
        }
        Optional<BufferedImage> image = FakeCosImages.decode(source);
        if (image.isEmpty()) {
            return error(400, "InvalidImageFormat", "the source is not an image");
        }
        String folder = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        List<String> targets = new ArrayList<>();
        List<FakeCosImages.Rule> parsed = new ArrayList<>();
        for (JsonNode rule : rules) {
            String fileId = rule.path("fileid").asText("");
            if (rule.path("bucket").asText("").isEmpty() || fileId.isEmpty() || fileId.equals("/")) {
                return error(400, "InvalidArgument", "each rule needs bucket and fileid");
            }
            try {
                parsed.add(FakeCosImages.parse(rule.path("rule").asText("")));
            } catch (FakeCosImages.BadRule e) {
                return error(400, "InvalidArgument", e.getMessage());
            }
            targets.add(fileId.startsWith("/") ? fileId.substring(1) : folder + fileId);
        }
        StringBuilder xml = new StringBuilder("<?xml version='1.0' encoding='utf-8' ?><UploadResult>");
        BufferedImage src = image.get();
        xml.append("<OriginalInfo><Key>")
                .append(key)
                .append("</Key><Location>")
                .append(location(req, key))
                .append("</Location><ETag>")
                .append(etag(source))
                .append("</ETag>");
        if (ops.path("is_pic_info").asInt(0) == 1) {
            xml.append("<ImageInfo><Format>")
                    .append(types.getOrDefault(key, "image/png").replace("image/", ""))
                    .append("</Format><Width>")
                    .append(src.getWidth())
                    .append("</Width><Height>")
                    .append(src.getHeight())
                    .append("</Height><Quality>100</Quality><Ave>0x000000</Ave><Orientation>0</Orientation>")
                    .append("</ImageInfo>");
        }
        xml.append("</OriginalInfo><ProcessResults>");
        for (int i = 0; i < targets.size(); i++) {
            FakeCosImages.Rule rule = parsed.get(i);
            BufferedImage out = FakeCosImages.apply(rule, src);
            byte[] data = FakeCosImages.encode(out, rule.format());
            String target = targets.get(i);
            objects.put(target, data);
            types.put(target, rule.format().equals("jpg") ? "image/jpeg" : "image/png");
            xml.append("<Object><Key>")
                    .append(target)
                    .append("</Key><Location>")
                    .append(location(req, target))
                    .append("</Location><Format>")
                    .append(rule.format())
                    .append("</Format><Width>")
                    .append(out.getWidth())
                    .append("</Width><Height>")
                    .append(out.getHeight())
                    .append("</Height><Size>")
                    .append(data.length)
                    .append("</Size><Quality>100</Quality><ETag>")
                    .append(etag(data))
                    .append("</ETag></Object>");
        }
        xml.append("</ProcessResults></UploadResult>");
        return Reply.of(200, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String location(Request req, String key) {
        return req.header("Host").orElse("localhost") + "/" + key;
    }

    /** The stored content type of each object, as its PUT sent it. */
    public Map<String, String> contentTypes() {
        return types;
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

    /**
     * COS signature v5, from the Authorization header or, for a presigned URL, from the query string: both
     * q-sign-time and q-key-time must cover now, and q-signature must be HMAC-SHA1(HMAC-SHA1(SecretKey,
     * KeyTime), StringToSign) with StringToSign = "sha1\nSignTime\nSHA1(HttpString)\n" over the method, the
     * decoded path, the listed parameters and the listed headers (names lower-cased and sorted, values
     * URL-encoded).
     */
    @Override
    protected Optional<String> signatureProblem(Request req) {
        Map<String, String> a = new LinkedHashMap<>();
        Optional<String> auth = req.header("Authorization");
        if (auth.isPresent()) {
            for (String part : auth.get().split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    a.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        } else if (req.query("q-signature").isPresent()) {
            for (String name : List.of(
                    "q-sign-algorithm",
                    "q-ak",
                    "q-sign-time",
                    "q-key-time",
                    "q-header-list",
                    "q-url-param-list",
                    "q-signature")) {
                req.query(name).ifPresent(v -> a.put(name, v));
            }
        } else {
            return Optional.of("no Authorization header");
        }
        if (!"sha1".equals(a.get("q-sign-algorithm")) || !secretId.equals(a.get("q-ak"))) {
            return Optional.of("unknown algorithm or SecretId");
        }
        String keyTime = a.get("q-key-time");
        String signTime = a.getOrDefault("q-sign-time", keyTime);
        if (keyTime == null || !covers(keyTime) || !covers(signTime)) {
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
                "sha1\n" + signTime + "\n" + hex("SHA-1", httpString.getBytes(StandardCharsets.UTF_8)) + "\n";
        String signKey = hmac(secretKey, keyTime);
        return MessageDigest.isEqual(
                        hmac(signKey, stringToSign).getBytes(StandardCharsets.UTF_8),
                        a.getOrDefault("q-signature", "").getBytes(StandardCharsets.UTF_8))
                ? Optional.empty()
                : Optional.of("signature does not match");
    }

    private static boolean covers(String window) {
        String[] w = window.split(";");
        if (w.length != 2 || !w[0].matches("\\d{1,12}") || !w[1].matches("\\d{1,12}")) {
            return false;
        }
        long now = System.currentTimeMillis() / 1000;
        return now >= Long.parseLong(w[0]) - 60 && now <= Long.parseLong(w[1]);
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
