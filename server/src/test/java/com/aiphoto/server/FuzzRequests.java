package com.aiphoto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fuzz's requests, each made from the run's seed and its index alone: an operation of the OpenAPI document, a
 * valid request for it from the documented schemas (parameters, body, credentials), then a few mutations of any
 * part of it. {@link ApiFuzzTest} sends them.
 */
final class FuzzRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final List<String> ODD_METHODS = List.of(
            "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "FOO", "get", "PRI", "M-SEARCH");
    private static final List<String> CONTENT_TYPES = List.of(
            "application/json; charset=utf-8",
            "application/json; charset=iso-8859-1",
            "application/json; charset=bogus",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/vnd.api+json",
            "*/*",
            ";;;",
            "application/json;;;charset=",
            "");
    private static final List<String> ACCEPTS = List.of(
            "application/json", "text/plain", "text/html", "*/*", "application/xml;q=0.1", "garbage/;;", "*/*;q=x");
    private static final List<String> ODD_SEGMENTS = List.of(
            "..",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..%2F..%2F",
            "%00",
            "%ZZ",
            "%",
            "-1",
            "0",
            "1e3",
            "0x10",
            "9223372036854775808",
            "99999999999999999999999999999999",
            "%E4%B8%AD%E6%96%87%F0%9F%98%80",
            "%C3%28",
            "%ED%A0%80",
            "%FF%FE",
            "null",
            "undefined",
            "'%20OR%201=1--",
            "%3Cscript%3E",
            "a;b=c",
            "%20",
            "%2F");

    /** A documented operation: its method, its path template and the operation object. */
    record Op(String method, String template, JsonNode operation) {
        boolean bearer() {
            return operation.has("security");
        }

        boolean admin() {
            return template.startsWith("/api/admin/");
        }

        boolean signedCallback() {
            return template.startsWith("/api/internal/");
        }
    }

    /** What the request carries as credentials. */
    enum Credential {
        NONE,
        /** The right token (admin routes: the admin's), a worker's valid signature, the webhook's token. */
        VALID,
        /** A user's token on an admin route. */
        USER_ON_ADMIN,
        /** Some malformed, forged or foreign credential. */
        BAD
    }

    /** One request as it goes on the wire. */
    record Request(
            int index,
            Op op,
            String method,
            String target,
            List<String[]> headers,
            byte[] body,
            String contentLength,
            Credential credential) {
        String describe() {
            StringBuilder sb = new StringBuilder()
                    .append('#')
                    .append(index)
                    .append(' ')
                    .append(method)
                    .append(' ')
                    .append(cut(target, 300));
            for (String[] h : headers) {
                sb.append("\n    ").append(h[0]).append(": ").append(cut(h[1], 200));
            }
            if (contentLength != null) {
                sb.append("\n    Content-Length: ").append(contentLength);
            }
            if (body.length > 0) {
                sb.append("\n    body (")
                        .append(body.length)
                        .append(" bytes): ")
                        .append(cut(new String(body, StandardCharsets.UTF_8), 400));
            }
            return sb.toString();
        }
    }

    private final List<Op> ops;
    private final ApiFuzzTest.FuzzTargets targets;
    private final long seed;
    private final JsonNode document;

    FuzzRequests(List<Op> ops, ApiFuzzTest.FuzzTargets targets, long seed) {
        this.ops = ops;
        this.targets = targets;
        this.seed = seed;
        this.document = OpenApiContract.get().document();
    }

    /** Every operation of the document. */
    static List<Op> operations(OpenApiContract contract) {
        List<Op> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path :
                contract.document().path("paths").properties()) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            path.getValue().properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                if (METHODS.contains(m.getKey())) {
                    out.add(new Op(m.getKey().toUpperCase(Locale.ROOT), path.getKey(), m.getValue()));
                }
            }
        }
        return out;
    }

    /** Request {@code index} of the run. */
    Request request(int index) {
        Random r = new Random(seed * 1_000_003L + index);
        Op op = ops.get(r.nextInt(ops.size()));
        List<String[]> headers = new ArrayList<>();
        Credential credential = credential(r, op, headers);

        JsonNode operation = op.operation();
        StringBuilder target = new StringBuilder(path(r, op));
        target.append(query(r, operation));
        if (r.nextInt(25) == 0) {
            target.append(pick(r, List.of("/", "//", "/..", "#frag", "?&&&=", ";x=1", "?a=" + "b".repeat(9000))));
        }

        byte[] body = new byte[0];
        JsonNode bodySchema = bodySchema(operation);
        if (bodySchema != null || r.nextInt(10) == 0) {
            JsonNode valid = bodySchema == null ? randomJson(r, 0) : valid(r, bodySchema, 0);
            body = body(r, valid);
        }
        if (op.template().equals("/api/payment/wechat/notify") && r.nextInt(3) != 0) {
            var n = targets.paidNotification(r.nextBoolean() ? 9900 : r.nextInt(100_000));
            n.headers().forEach((k, v) -> headers.add(new String[] {k, r.nextInt(8) == 0 ? mutate(r, v) : v}));
            body = r.nextInt(4) == 0 ? mutateBytes(r, n.body()) : n.body();
            credential = Credential.VALID;
        }
        if (op.signedCallback() && credential == Credential.VALID) {
            for (String[] h : pairs(targets.callbackHeaders(body))) {
                headers.add(h);
            }
        }
        if (r.nextInt(2) == 0 || body.length > 0) {
            headers.add(new String[] {"Content-Type", r.nextInt(4) == 0 ? pick(r, CONTENT_TYPES) : "application/json"});
        }
        oddHeaders(r, op, headers);

        String method = op.method();
        if (r.nextInt(12) == 0) {
            method = pick(r, ODD_METHODS);
        }
        String contentLength = null;
        if (r.nextInt(20) == 0) {
            contentLength = pick(
                    r,
                    List.of(
                            "-1",
                            "abc",
                            "0",
                            Integer.toString(Math.max(0, body.length - 1)),
                            Integer.toString(body.length + 10),
                            "99999999999999999999",
                            body.length + ", " + body.length,
                            " " + body.length,
                            "0x10"));
        }
        return new Request(index, op, method, target.toString(), headers, body, contentLength, credential);
    }

    private Credential credential(Random r, Op op, List<String[]> headers) {
        if (op.template().startsWith("/api/callbacks/")) {
            return Credential.VALID; // the webhook token is a query parameter: see path()
        }
        if (op.signedCallback()) {
            if (r.nextInt(4) != 0) {
                return Credential.VALID;
            }
            headers.add(new String[] {"X-Timestamp", pick(r, List.of("0", "-1", "abc", "1e10", "", junk(r, 20)))});
            headers.add(new String[] {"X-Internal-Signature", pick(r, List.of("", "00", "zz", junk(r, 64)))});
            return Credential.BAD;
        }
        int k = r.nextInt(10);
        if (k < 6) {
            boolean asUser = op.admin() && r.nextInt(6) == 0;
            String token = op.admin() && !asUser ? targets.adminToken() : targets.userToken();
            // the scheme is case-insensitive (RFC 9110): "bearer" is as good as "Bearer"
            headers.add(new String[] {"Authorization", (r.nextInt(8) == 0 ? "bearer " : "Bearer ") + token});
            return op.admin() && asUser ? Credential.USER_ON_ADMIN : Credential.VALID;
        }
        if (k < 8) {
            return Credential.NONE;
        }
        String t = targets.userToken();
        headers.add(new String[] {
            "Authorization",
            switch (r.nextInt(10)) {
                case 0 -> "Bearer " + mutate(r, t);
                case 1 -> "Token " + t;
                case 2 -> "Basic dXNlcjpwYXNz";
                case 3 -> "Bearer ";
                case 4 -> "Bearer " + "eyJhbGciOiJub25lIn0." + t.substring(t.indexOf('.') + 1);
                case 5 -> "Bearer " + com.aiphoto.server.auth.TestTokens.issue(ApiFuzzTest.JWT_SECRET, 987_654_321L);
                case 6 ->
                    "Bearer " + com.aiphoto.server.auth.TestTokens.issue("another-secret-0123456789-abcdefghij", 1);
                case 7 -> "Bearer " + t + " " + t;
                case 8 -> "Bearer " + "A".repeat(10_000);
                default -> junk(r, 100);
            }
        });
        return Credential.BAD;
    }

    /** The template with each parameter a real value, a plausible one, or a hostile one. */
    private String path(Random r, Op op) {
        String[] parts = op.template().split("/", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            sb.append('/');
            if (!p.startsWith("{")) {
                sb.append(r.nextInt(200) == 0 ? p.toUpperCase(Locale.ROOT) : p);
                continue;
            }
            String name = p.substring(1, p.length() - 1);
            int k = r.nextInt(10);
            if (k < 6) {
                sb.append(encode(realValue(r, op, name)));
            } else if (k < 9) {
                sb.append(pick(r, ODD_SEGMENTS));
            } else {
                sb.append(pick(r, List.of("9".repeat(20 + r.nextInt(3000)), "a".repeat(70), encode(junk(r, 40)))));
            }
        }
        return sb.toString();
    }

    private String realValue(Random r, Op op, String name) {
        return switch (name) {
            case "orderId" -> r.nextInt(4) == 0 ? Long.toString(r.nextLong() & Long.MAX_VALUE) : targets.orderId();
            case "taskId" -> r.nextInt(4) == 0 ? "0".repeat(32) : targets.taskId();
            case "stepIndex" -> Integer.toString(r.nextInt(4));
            // a third account, or none: fuzzed role changes must neither demote the run's admin nor promote its user
            case "id" -> Long.toString(r.nextInt(4) == 0 ? 1_000_000 + r.nextInt(1000) : targets.victimId());
            case "ref" -> pick(r, List.of("runninghub", "hunyuan", "wechatpay", "RunningHub", "kuai"));
            default -> throw new IllegalStateException(op.template() + ": no values for {" + name + "}");
        };
    }

    /** The documented query parameters, valid or garbage, and now and then one that is not documented. */
    private String query(Random r, JsonNode operation) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            JsonNode param = resolve(p);
            if (!"query".equals(param.path("in").asText())
                    || (r.nextBoolean() && !param.path("required").asBoolean())) {
                continue;
            }
            String name = param.path("name").asText();
            String value;
            if (name.equals("token")) {
                value = r.nextInt(4) == 0 ? junk(r, 40) : ApiFuzzTest.WEBHOOK_TOKEN;
            } else if (r.nextInt(3) != 0) {
                JsonNode v = valid(r, param.path("schema"), 0);
                value = v.isTextual() ? v.asText() : v.toString();
            } else {
                value = pick(
                        r,
                        List.of(
                                "",
                                "-1",
                                "0",
                                "abc",
                                "1e99",
                                "99999999999999999999",
                                "9223372036854775807",
                                "1.5",
                                "true",
                                "%",
                                "中文",
                                "\u0000",
                                "x".repeat(5000),
                                "[]",
                                "{}"));
            }
            pairs.add(name + "=" + encode(value));
            if (r.nextInt(10) == 0) {
                pairs.add(name + "=" + encode(value)); // repeated
            }
        }
        if (r.nextInt(10) == 0) {
            pairs.add(pick(r, List.of("x=1", "=", "&", "a[b]=c", "%ZZ=1", "limit", "__proto__=1")));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private JsonNode bodySchema(JsonNode operation) {
        JsonNode body = resolve(operation.path("requestBody"));
        JsonNode schema = body.path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : schema;
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            n = document.at(n.path("$ref").asText().substring(1));
        }
        return n;
    }

    /** A value the schema accepts. */
    JsonNode valid(Random r, JsonNode schemaOrRef, int depth) {
        JsonNode s = resolve(schemaOrRef);
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.has("enum")) {
            return s.get("enum").get(r.nextInt(s.get("enum").size()));
        }
        if (s.has("oneOf") || s.has("anyOf")) {
            JsonNode alts = s.has("oneOf") ? s.get("oneOf") : s.get("anyOf");
            return valid(r, alts.get(r.nextInt(alts.size())), depth);
        }
        String type = type(r, s);
        return switch (type) {
            case "null" -> NODES.nullNode();
            case "boolean" -> NODES.booleanNode(r.nextBoolean());
            case "integer" -> NODES.numberNode(integer(r, s));
            case "number" -> NODES.numberNode(r.nextDouble() * 1000);
            case "string" -> NODES.textNode(string(r, s));
            case "array" -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    a.add(valid(r, s.path("items"), depth + 1));
                }
                yield a;
            }
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                Set<String> required = new java.util.HashSet<>();
                s.path("required").forEach(n -> required.add(n.asText()));
                for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
                    if (required.contains(p.getKey()) || r.nextBoolean()) {
                        o.set(p.getKey(), valid(r, p.getValue(), depth + 1));
                    }
                }
                yield o;
            }
            default -> depth > 2 ? NODES.textNode("x") : randomJson(r, depth + 1); // untyped: any JSON
        };
    }

    private static String type(Random r, JsonNode s) {
        JsonNode t = s.path("type");
        if (t.isArray()) {
            // mostly the non-null alternative
            String first = t.get(0).asText();
            return r.nextInt(5) == 0 ? t.get(r.nextInt(t.size())).asText() : first;
        }
        if (t.isTextual()) {
            return t.asText();
        }
        return s.has("properties") ? "object" : "any";
    }

    private static long integer(Random r, JsonNode s) {
        long min = s.path("minimum").asLong(0);
        long max = s.path("maximum").asLong(min + 1000);
        long v = min + (long) (r.nextDouble() * (max - min + 1));
        if (s.path("not").has("const") && v == s.path("not").path("const").asLong()) {
            v = v == max ? v - 1 : v + 1;
        }
        return Math.min(max, v);
    }

    private static String string(Random r, JsonNode s) {
        String pattern = s.path("pattern").asText("");
        switch (pattern) {
            case "^1[3-9]\\d{9}$" -> {
                return "1" + (3 + r.nextInt(7)) + digits(r, 9);
            }
            case "^\\d{6}$" -> {
                return digits(r, 6);
            }
            case "^\\d{1,11}$" -> {
                return digits(r, 1 + r.nextInt(11));
            }
            default -> {
                // no other pattern in a request schema; plain strings below
            }
        }
        if ("uri".equals(s.path("format").asText())) {
            return pick(r, List.of("https://example.invalid/api", "http://127.0.0.1:1/x"));
        }
        int min = s.path("minLength").asInt(0);
        int max = Math.min(s.path("maxLength").asInt(24), min + 24);
        StringBuilder sb = new StringBuilder();
        for (int n = min + r.nextInt(Math.max(1, max - min + 1)); n > 0; n--) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    /** The valid body as sent, or mutated: in the tree, then maybe in its bytes. */
    private static byte[] body(Random r, JsonNode valid) {
        int k = r.nextInt(10);
        if (k < 3) {
            return bytes(valid);
        }
        JsonNode tree = valid.deepCopy();
        for (int n = 1 + r.nextInt(3); n > 0; n--) {
            tree = mutateTree(r, tree);
        }
        if (k == 9 && r.nextInt(3) == 0) {
            // nesting deeper than any JSON tree this test could write: 2,000 to 50,000 levels, hand-written
            int depth = 2000 + r.nextInt(48_000);
            return ("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = bytes(tree);
        return k < 8 ? b : mutateBytes(r, b);
    }

    private static JsonNode mutateTree(Random r, JsonNode tree) {
        if (!(tree instanceof ObjectNode o) || r.nextInt(12) == 0) {
            return r.nextBoolean() ? oddValue(r) : NODES.arrayNode().add(tree);
        }
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        int k = r.nextInt(4);
        if (k == 0 && !names.isEmpty()) {
            o.remove(pick(r, names));
        } else if (k == 1 || names.isEmpty()) {
            o.set(
                    pick(
                            r,
                            List.of(
                                    "extra",
                                    "__proto__",
                                    "",
                                    "constructor",
                                    "amount",
                                    "role",
                                    "userId",
                                    "x".repeat(300))),
                    oddValue(r));
        } else {
            String name = pick(r, names);
            JsonNode child = o.get(name);
            o.set(name, child instanceof ObjectNode && r.nextBoolean() ? mutateTree(r, child) : oddValue(r));
        }
        return o;
    }

    /** A value of a wrong type, at a boundary, huge, nested deep or with odd characters. */
    static JsonNode oddValue(Random r) {
        return switch (r.nextInt(22)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(true);
            case 2 -> NODES.numberNode(-0.0);
            case 3 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 4 -> NODES.numberNode(-1);
            case 5 -> NODES.numberNode(0);
            case 6 -> NODES.numberNode(2_147_483_648L);
            case 7 -> NODES.numberNode(Long.MIN_VALUE);
            case 8 -> NODES.numberNode(0.5);
            case 9 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            case 10 -> NODES.arrayNode();
            case 11 -> NODES.objectNode();
            case 12 -> NODES.textNode("");
            case 13 -> NODES.textNode("x".repeat(100_000 + r.nextInt(100_000)));
            case 14 -> NODES.textNode("y".repeat((1 << 20) + r.nextInt(1000))); // over the 1 MiB body limit
            case 15 -> NODES.textNode("\u0000\u001f\u202e\ufeff");
            case 16 -> NODES.textNode("中文\ud83d\ude00" + "\ud800");
            case 17 -> NODES.textNode("../../../etc/passwd");
            case 18 -> NODES.textNode("https://evil.invalid/input/1/20260101/" + "0".repeat(32) + ".png");
            case 19 -> nested(200 + r.nextInt(700)); // deeper: see body()
            case 20 -> NODES.textNode("9".repeat(400));
            default -> NODES.numberNode(Double.MAX_VALUE);
        };
    }

    private static JsonNode nested(int depth) {
        JsonNode n = NODES.arrayNode();
        for (int i = 1; i < depth; i++) {
            n = (i % 2 == 0) ? NODES.arrayNode().add(n) : NODES.objectNode().set("a", n);
        }
        return n;
    }

    /** A byte-level change: truncated, invalid UTF-8, a stray token, a duplicate key, or random bytes. */
    static byte[] mutateBytes(Random r, byte[] b) {
        int at = b.length == 0 ? 0 : r.nextInt(b.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(6)) {
            case 0 -> out.write(b, 0, at);
            case 1 -> {
                out.write(b, 0, at);
                byte[][] bad = {
                    {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80}
                };
                out.writeBytes(bad[r.nextInt(bad.length)]);
                out.write(b, at, b.length - at);
            }
            case 2 -> {
                out.write(b, 0, at);
                out.writeBytes(pick(r, List.of("\"", "{", "}", ",", ":", "\\", "null", "\u0000", "//", "NaN"))
                        .getBytes(StandardCharsets.UTF_8));
                out.write(b, at, b.length - at);
            }
            case 3 -> {
                String s = new String(b, StandardCharsets.UTF_8);
                out.writeBytes((s.startsWith("{") && s.length() > 2
                                ? s.substring(0, s.length() - 1) + "," + s.substring(1)
                                : s)
                        .getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> {
                byte[] junk = new byte[r.nextInt(200)];
                r.nextBytes(junk);
                out.writeBytes(junk);
            }
            default -> out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a BOM before the JSON
        }
        if (out.size() > 0 && r.nextInt(6) == 5) {
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    private static void oddHeaders(Random r, Op op, List<String[]> headers) {
        if (r.nextInt(4) == 0) {
            headers.add(new String[] {"Accept", pick(r, ACCEPTS)});
        }
        if (r.nextInt(6) == 0) {
            headers.add(new String[] {
                "X-Forwarded-For",
                pick(
                        r,
                        List.of(
                                "1.2.3.4",
                                "2001:db8::1",
                                "999.1.1.1",
                                "1.2.3.4, 5.6.7.8",
                                ",,,",
                                "[::1]:80",
                                junk(r, 40)))
            });
        }
        if (r.nextInt(6) == 0) {
            headers.add(new String[] {
                "X-Request-Id", pick(r, List.of("abc", "x".repeat(200), "a b c", "<script>", junk(r, 30)))
            });
        }
        if (r.nextInt(6) == 0 && (op.template().equals("/api/task/create") || op.admin())) {
            headers.add(new String[] {
                "Idempotency-Key",
                pick(r, List.of(junk(r, 40), "", "k".repeat(129), "k".repeat(5000), "中文", "fuzz-" + r.nextInt(20)))
            });
        }
        if (r.nextInt(30) == 0) {
            // huge headers: under and over the server's limit
            headers.add(new String[] {"X-Huge", "h".repeat(pick(r, List.of(4_000, 9_000, 20_000, 70_000)))});
        }
        if (r.nextInt(30) == 0) {
            headers.add(pick(
                    r,
                    List.of(
                            new String[] {"Transfer-Encoding", "chunked"},
                            new String[] {"Transfer-Encoding", "gzip, chunked"},
                            new String[] {"Content-Encoding", "gzip"},
                            new String[] {"Expect", "100-continue"},
                            new String[] {"Host", ""},
                            new String[] {"X-Ctl", "a\u0001b"},
                            new String[] {"Bad Header", "x"},
                            new String[] {"X-Latin1", "caf\u00e9"},
                            new String[] {"Origin", "https://evil.invalid"},
                            new String[] {"Access-Control-Request-Method", "DELETE"})));
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // depth beyond Jackson's write limit: hand-written nesting, which is what the server must read
            return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode randomJson(Random r, int depth) {
        if (depth > 3 || r.nextBoolean()) {
            return oddValue(r);
        }
        ObjectNode o = NODES.objectNode();
        for (int i = r.nextInt(4); i > 0; i--) {
            o.set(junk(r, 8), randomJson(r, depth + 1));
        }
        return o;
    }

    private static List<String[]> pairs(String[] flat) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < flat.length; i += 2) {
            out.add(new String[] {flat[i], flat[i + 1]});
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String mutate(Random r, String s) {
        if (s.isEmpty()) {
            return "x";
        }
        int at = r.nextInt(s.length());
        return switch (r.nextInt(3)) {
            case 0 -> s.substring(0, at) + s.substring(at + 1);
            case 1 -> s.substring(0, at) + s.charAt(at) + s.substring(at);
            default -> s.substring(0, at) + otherChar(r, s.charAt(at)) + s.substring(at + 1);
        };
    }

    /** A printable character other than {@code c}: a "mutation" that puts the same character back is none. */
    private static char otherChar(Random r, char c) {
        char x;
        do {
            x = (char) (33 + r.nextInt(94));
        } while (x == c);
        return x;
    }

    private static String digits(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    private static String junk(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + r.nextInt(max); n > 0; n--) {
            sb.append((char) (33 + r.nextInt(94)));
        }
        return sb.toString();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
    }

    static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}
