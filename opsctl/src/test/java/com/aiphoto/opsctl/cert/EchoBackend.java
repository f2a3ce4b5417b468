package com.aiphoto.opsctl.cert;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in API instance behind nginx: answers every request with a line naming itself and what reached it
 * (request id, forwarded headers, body size), and records the paths it saw.
 */
final class EchoBackend implements AutoCloseable {
    record Seen(String path, String requestId, String forwardedFor, String forwardedProto, long bodyBytes) {}

    final String name;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final WebServer server;

    EchoBackend(String name) {
        this.name = name;
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .maxPayloadSize(-1)
                .routing(r -> r.any(this::serve))
                .build()
                .start();
    }

    int port() {
        return server.port();
    }

    private void serve(ServerRequest req, ServerResponse res) {
        long bytes = 0;
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Seen s = new Seen(
                req.path().path(),
                req.headers().first(HeaderNames.create("X-Request-Id")).orElse(""),
                req.headers().first(HeaderNames.X_FORWARDED_FOR).orElse(""),
                req.headers().first(HeaderNames.X_FORWARDED_PROTO).orElse(""),
                bytes);
        seen.add(s);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        // the real server echoes the id too; nginx must not send it twice
        res.header(HeaderNames.create("X-Request-Id"), s.requestId());
        res.send("{\"success\":true,\"data\":{\"backend\":\"" + name + "\",\"bytes\":" + bytes + "}}");
    }

    @Override
    public void close() {
        server.stop();
    }
}
