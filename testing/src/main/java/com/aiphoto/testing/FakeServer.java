package com.aiphoto.testing;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Base of the local fakes of third-party HTTP APIs: a Helidon WebServer on 127.0.0.1 and a free port that
 * records every request (header names as sent, the body's raw bytes), lets a test script the answer per path,
 * and gives subclasses a hook to check the request's signature first. Helidon rather than the JDK's HttpServer:
 * that one rewrites header-name case ({@code Wechatpay-Serial} arrives as {@code Wechatpay-serial}), which real
 * vendor SDKs reject when they verify a response.
 */
public abstract class FakeServer implements AutoCloseable {
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Request, Reply>> scripted = new ConcurrentHashMap<>();
    private final WebServer server;

    // `this` escapes into the routing, but no request can reach serve() before the constructor returns:
    // nobody knows the port until then
    @SuppressWarnings("this-escape")
    protected FakeServer() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.any(this::serve))
                .build()
                .start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** From now on requests to {@code path} get what {@code answer} says (after the signature check). */
    public void answer(String path, Function<Request, Reply> answer) {
        scripted.put(path, answer);
    }

    /** From now on requests to {@code path} get {@code reply} (after the signature check). */
    public void answer(String path, Reply reply) {
        answer(path, r -> reply);
    }

    /** From now on requests to {@code path} get the fake's own answer again (a scripted outage ends). */
    public void forget(String path) {
        scripted.remove(path);
    }

    /** Every request so far, in arrival order, with the status it got. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public List<Request> requests() {
        return exchanges.stream().map(Exchange::request).toList();
    }

    /** What {@link #signatureProblem} found wrong in each refused request, in order. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** The answer to a well-signed request no script covers. */
    protected abstract Reply handle(Request request);

    /** Why the request's signature is wrong, or empty when it is right (the default: nothing is checked). */
    protected Optional<String> signatureProblem(Request request) {
        return Optional.empty();
    }

    /** The answer to a badly signed request: by default 401 with the problem as text. */
    protected Reply rejected(Request request, String problem) {
        return Reply.text(401, problem);
    }

    private void serve(ServerRequest req, ServerResponse res) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header h : req.headers()) {
            for (String v : h.allValues()) {
                headers.add(Map.entry(h.name(), v));
            }
        }
        Request request = new Request(
                req.prologue().method().text(),
                req.path().rawPath(),
                req.query().rawValue(),
                List.copyOf(headers),
                req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0]);
        Reply reply;
        Optional<String> problem = signatureProblem(request);
        if (problem.isPresent()) {
            rejections.add(problem.get());
            reply = rejected(request, problem.get());
        } else {
            reply = scripted.getOrDefault(request.path(), this::handle).apply(request);
        }
        exchanges.add(new Exchange(request, reply.status()));
        res.status(Status.create(reply.status()));
        reply.headers().forEach(h -> res.header(h.getKey(), h.getValue()));
        if (request.method().equals("HEAD")) {
            // a HEAD answer announces the length of the body it does not send
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(reply.body().length));
            res.send();
        } else {
            res.send(reply.body());
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** One request as it arrived: header names in the case the client sent, the body's bytes untouched. */
    public record Request(
            String method, String path, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body) {
        /** The first value of header {@code name} (compared ignoring case, as HTTP does). */
        public Optional<String> header(String name) {
            return headers.stream()
                    .filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        /** The header names exactly as received. */
        public List<String> headerNames() {
            return headers.stream().map(Map.Entry::getKey).toList();
        }

        /** The decoded first value of query parameter {@code name}. */
        public Optional<String> query(String name) {
            if (rawQuery.isEmpty()) {
                return Optional.empty();
            }
            for (String part : rawQuery.split("&")) {
                String[] kv = part.split("=", 2);
                if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
                }
            }
            return Optional.empty();
        }

        /** The path, percent-decoded. */
        public String decodedPath() {
            return URLDecoder.decode(path, StandardCharsets.UTF_8);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
        }
    }

    /** A request and the status it was answered with. */
    public record Exchange(Request request, int status) {
        /** "METHOD /path status". */
        @Override
        public String toString() {
            return request.method() + " " + request.path() + " " + status;
        }
    }

    /** An answer: status, headers (names sent exactly as given, in order) and body. */
    public record Reply(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        public static Reply of(int status, String contentType, byte[] body) {
            return new Reply(status, List.of(Map.entry("Content-Type", contentType)), body);
        }

        public static Reply json(int status, String json) {
            return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply text(int status, String text) {
            return of(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        }

        /** No body, no headers. */
        public static Reply empty(int status) {
            return new Reply(status, List.of(), new byte[0]);
        }

        /** This reply with one more header. */
        public Reply header(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Reply(status, List.copyOf(more), body);
        }

        /** The first value of header {@code name}, ignoring case. */
        public Optional<String> header(String name) {
            return headers.stream()
                    .filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }
    }
}
