package com.aiphoto.server;

import com.aiphoto.server.FuzzRequests.Credential;
import com.aiphoto.server.FuzzRequests.Op;
import com.aiphoto.server.FuzzRequests.Request;
import com.aiphoto.server.platform.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends the fuzz's requests straight to the socket (so Content-Length, methods and header bytes are the fuzz's,
 * not a client library's), a few at a time, and checks every answer: no 5xx, a refusal is the error envelope with
 * a documented code for its status (WeChat Pay's own shape on its notify route), a documented operation's answer
 * matches the document, a request without the right credentials never succeeds; and counts, per operation, how
 * many requests with the right credentials got past authentication.
 */
final class FuzzRun {
    private static final int THREADS = 4;
    private static final int MAX_RESPONSE = 4 << 20;
    private static final String NOTIFY = "/api/payment/wechat/notify";

    private final int port;
    private final FuzzRequests requests;
    private final Duration budget;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, int[]> auth = new ConcurrentHashMap<>(); // op -> {with credentials, past auth}
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder unanswered = new LongAdder();
    private final AtomicInteger sent = new AtomicInteger();
    private long millis;

    FuzzRun(int port, FuzzRequests requests, Duration budget) {
        this.port = port;
        this.requests = requests;
        this.budget = budget;
    }

    /** Sends requests {@code 0..count-1} ({@code only}: just that one), within the budget. */
    FuzzRun run(int count, Integer only) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        AtomicInteger next = new AtomicInteger(only == null ? 0 : only);
        int end = only == null ? count : only + 1;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int t = 0; t < THREADS; t++) {
                pool.execute(() -> {
                    for (int i = next.getAndIncrement();
                            i < end && System.nanoTime() < deadline && failures.size() < 30;
                            i = next.getAndIncrement()) {
                        try {
                            Request req = requests.request(i);
                            check(req, send(req));
                        } catch (RuntimeException | Error e) {
                            failures.add("#" + i + ": the test itself failed: " + e);
                        }
                        sent.incrementAndGet();
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        if (!pool.awaitTermination(budget.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
            failures.add("the run did not end within its budget of " + budget);
        }
        millis = (System.nanoTime() - start) / 1_000_000;
        if (sent.get() < end - (only == null ? 0 : only) && failures.size() < 30) {
            failures.add("only " + sent.get() + " of " + count + " requests within " + budget);
        }
        return this;
    }

    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** Operations behind authentication where fewer than a quarter of the requests with credentials got past it. */
    List<String> tooFewPastAuth(int minimumTried) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(auth).forEach((op, c) -> {
            if (c[0] < minimumTried || c[1] * 4 < c[0]) {
                out.add(op + ": " + c[1] + " of " + c[0] + " past authentication");
            }
        });
        return out;
    }

    String summary() {
        StringBuilder sb = new StringBuilder()
                .append(sent.get())
                .append(" requests in ")
                .append(millis)
                .append(" ms; statuses ")
                .append(new TreeMap<>(statuses))
                .append("; closed without an answer ")
                .append(unanswered.sum())
                .append("\n  past authentication (with credentials / past):");
        new TreeMap<>(auth)
                .forEach((op, c) -> sb.append("\n    ")
                        .append(op)
                        .append(' ')
                        .append(c[0])
                        .append('/')
                        .append(c[1]));
        return sb.toString();
    }

    /** A parsed answer; status 0 when the connection closed without one. */
    record Answer(int status, Map<String, String> headers, String body) {}

    private Answer send(Request req) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        StringBuilder sb = new StringBuilder()
                .append(req.method())
                .append(' ')
                .append(req.target())
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\nConnection: close\r\n");
        boolean halfClose = req.contentLength() != null;
        for (String[] h : req.headers()) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            halfClose |= h[0].equals("Transfer-Encoding") || h[0].equals("Expect");
        }
        sb.append("Content-Length: ")
                .append(req.contentLength() != null ? req.contentLength() : Integer.toString(req.body().length))
                .append("\r\n\r\n");
        head.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            try {
                out.write(head.toByteArray());
                out.write(req.body());
                out.flush();
                if (halfClose) {
                    s.shutdownOutput(); // the server may wait for bytes the request announced: end them
                }
            } catch (IOException e) {
                // the server may answer and close before it read everything (413, 431): read what it said
            }
            return parse(readAnswer(in, req.method().equals("HEAD")));
        } catch (SocketTimeoutException e) {
            failures.add("no answer within 30 s: " + req.describe());
            return new Answer(0, Map.of(), "");
        } catch (IOException e) {
            return new Answer(0, Map.of(), e.toString());
        }
    }

    /**
     * The bytes of the first complete answer (an interim 100 skipped): by its Content-Length or chunks, not by the
     * end of the connection, which Helidon may keep open after answering until its idle timeout.
     */
    private static byte[] readAnswer(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try {
            for (int n; (n = in.read(buf)) > 0 && out.size() < MAX_RESPONSE; ) {
                out.write(buf, 0, n);
                byte[] got = out.toByteArray();
                String s = new String(got, StandardCharsets.ISO_8859_1);
                if (s.startsWith("HTTP/1.1 100") && s.contains("\r\n\r\n")) {
                    out.reset();
                    int end = s.indexOf("\r\n\r\n") + 4;
                    out.write(got, end, got.length - end);
                    continue;
                }
                if (complete(s, head)) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer (the server closed with our unread body in its buffer): keep what came
        }
        return out.toByteArray();
    }

    private static boolean complete(String s, boolean head) {
        int headEnd = s.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String lower = s.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
        if (head || lower.startsWith("http/1.1 204") || lower.startsWith("http/1.1 304")) {
            return true;
        }
        int cl = lower.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int eol = lower.indexOf("\r\n", cl + 2);
            String v = lower.substring(cl + 17, eol < 0 ? lower.length() : eol).trim();
            return s.length() - headEnd - 4 >= Long.parseLong(v);
        }
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            String body = s.substring(headEnd + 4);
            return body.startsWith("0\r\n\r\n") || body.contains("\r\n0\r\n\r\n");
        }
        return false;
    }

    static Answer parse(byte[] raw) {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.1 ") || headEnd < 0) {
            return new Answer(0, Map.of(), all);
        }
        String[] lines = all.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(
                        lines[i].substring(0, colon).trim(),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("Content-Length")) {
            int n = Integer.parseInt(headers.get("Content-Length"));
            body = java.util.Arrays.copyOf(body, Math.min(n, body.length));
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < b.length) {
            int eol = at;
            while (eol + 1 < b.length && !(b[eol] == '\r' && b[eol + 1] == '\n')) {
                eol++;
            }
            String size = new String(b, at, eol - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(b, eol + 2, Math.min(n, b.length - eol - 2));
            at = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private void check(Request req, Answer a) {
        statuses.computeIfAbsent(a.status(), s -> new LongAdder()).increment();
        if (a.status() == 0) {
            unanswered.increment();
            return;
        }
        Op op = req.op();
        boolean documented = req.method().equals(op.method());
        // the path as the server routes it: without query, fragment or path parameters
        String path = req.target().split("[?#;]", 2)[0];
        if (a.status() >= 500) {
            failures.add(a.status() + " " + cut(a.body()) + "\n  for " + req.describe());
            return;
        }
        if (a.status() >= 400 && !req.method().equals("HEAD")) {
            // WeChat Pay's route answers in WeChat's shape; what the HTTP parser refuses before routing, in ours
            String problem = documented && path.equals(NOTIFY) && weChatFail(a) == null ? null : envelope(a);
            if (problem != null) {
                failures.add(problem + ": " + a.status() + " " + cut(a.body()) + "\n  for " + req.describe());
                return;
            }
        }
        // HEAD operations document their own statuses only (no body, no default): the envelope is GET's business
        // and on WeChat Pay's route, what the HTTP parser refused before routing was checked above as our envelope
        List<String> violations = (req.method().equals("HEAD") || path.equals(NOTIFY)) && a.status() >= 400
                ? List.<String>of()
                : OpenApiContract.get()
                        .violations(req.method(), path, a.status(), a.headers().get("Content-Type"), a.body());
        if (!violations.isEmpty()) {
            failures.add("breaks the document: " + cut(String.join("; ", violations)) + "\n  for " + req.describe());
            return;
        }
        boolean guarded = op.bearer() || op.signedCallback() || op.template().startsWith("/api/callbacks/");
        if (!guarded || !documented) {
            return;
        }
        boolean success = a.status() / 100 == 2;
        if (req.credential() != Credential.VALID) {
            if (success && !op.template().startsWith("/api/callbacks/")) {
                failures.add("succeeded without the right credentials: " + a.status() + " " + cut(a.body()) + "\n  for "
                        + req.describe());
            }
            return;
        }
        int code = a.status() >= 400 ? code(a) : 0;
        boolean past = op.template().startsWith("/api/callbacks/")
                ? success
                : a.status() != 401 && !(a.status() == 403 && code == ErrorCode.FORBIDDEN.code());
        int[] c = auth.computeIfAbsent(op.method() + " " + op.template(), k -> new int[2]);
        synchronized (c) {
            c[0]++;
            c[1] += past ? 1 : 0;
        }
    }

    /** Why the answer is not the error envelope with a documented code for its status; null when it is. */
    static String envelope(Answer a) {
        JsonNode j = ApiFuzzTest.json(a.body());
        if (j == null
                || !j.path("success").isBoolean()
                || j.path("success").asBoolean()
                || !j.path("error").path("code").isInt()
                || !j.path("error").path("message").isTextual()
                || !j.path("requestId").isTextual()) {
            return "not the error envelope";
        }
        int code = j.path("error").path("code").asInt();
        for (ErrorCode e : ErrorCode.values()) {
            if (e.code() == code && e.status().code() == a.status()) {
                return null;
            }
        }
        // what the HTTP parser refuses (414, 431, ...) is an invalid parameter
        return code == ErrorCode.INVALID_PARAMETER.code() && a.status() / 100 == 4
                ? null
                : "code " + code + " is not documented for status " + a.status();
    }

    private static String weChatFail(Answer a) {
        JsonNode j = ApiFuzzTest.json(a.body());
        return j != null
                        && "FAIL".equals(j.path("code").asText())
                        && j.path("message").isTextual()
                ? null
                : "not WeChat Pay's FAIL answer";
    }

    private static int code(Answer a) {
        JsonNode j = ApiFuzzTest.json(a.body());
        return j == null ? 0 : j.path("error").path("code").asInt();
    }

    private static String cut(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
