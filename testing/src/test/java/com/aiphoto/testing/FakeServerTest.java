package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FakeServerTest {
    /** Answers "default" to everything; requests without header {@code X-Sig: good} are refused. */
    static final class Echo extends FakeServer {
        @Override
        protected Reply handle(Request request) {
            return Reply.text(200, "default");
        }

        @Override
        protected Optional<String> signatureProblem(Request request) {
            return request.header("x-sig").filter("good"::equals).isPresent()
                    ? Optional.empty()
                    : Optional.of("bad signature");
        }
    }

    @Test
    void recordsHeaderNamesAsSentAndTheBodysBytes() throws IOException {
        byte[] body = {0, (byte) 0xff, 'a', '\r', '\n'};
        try (Echo fake = new Echo()) {
            String response = raw(
                    fake,
                    "POST /v3/pay?x=1%202&y HTTP/1.1",
                    List.of("X-Sig: good", "Wechatpay-Serial: ABC", "content-type: application/octet-stream"),
                    body);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("default"), response);
            FakeServer.Request r = fake.requests().getFirst();
            assertEquals("POST", r.method());
            assertEquals("/v3/pay", r.path());
            assertEquals(Optional.of("1 2"), r.query("x"));
            assertEquals(Optional.of(""), r.query("y"));
            assertTrue(
                    r.headerNames().containsAll(List.of("X-Sig", "Wechatpay-Serial")),
                    r.headerNames().toString());
            assertEquals(Optional.of("ABC"), r.header("wechatpay-serial"), "looked up ignoring case");
            assertArrayEquals(body, r.body());
        }
    }

    @Test
    void scriptedAnswersGoOutWithHeaderNamesExactlyAsGiven() throws IOException {
        try (Echo fake = new Echo()) {
            fake.answer(
                    "/scripted",
                    FakeServer.Reply.json(201, "{\"ok\":true}")
                            .header("Wechatpay-Serial", "5157F09EFDC096DE15EBE81A47057A72")
                            .header("Request-ID", "r-1"));
            String response = raw(fake, "GET /scripted HTTP/1.1", List.of("X-Sig: good"), new byte[0]);
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
            assertTrue(response.contains("\r\nWechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A72\r\n"), response);
            assertTrue(response.contains("\r\nRequest-ID: r-1\r\n"), response);
            assertTrue(response.endsWith("{\"ok\":true}"), response);
            assertTrue(raw(fake, "GET /other HTTP/1.1", List.of("X-Sig: good"), new byte[0])
                    .endsWith("default"));
            assertEquals(
                    List.of("GET /scripted 201", "GET /other 200"),
                    fake.exchanges().stream().map(Object::toString).toList());
        }
    }

    @Test
    void aForgottenScriptGivesTheDefaultAnswerAgain() throws IOException {
        try (Echo fake = new Echo()) {
            fake.answer("/down", FakeServer.Reply.text(503, "down"));
            assertTrue(raw(fake, "GET /down HTTP/1.1", List.of("X-Sig: good"), new byte[0])
                    .startsWith("HTTP/1.1 503"));
            fake.forget("/down");
            assertTrue(raw(fake, "GET /down HTTP/1.1", List.of("X-Sig: good"), new byte[0])
                    .endsWith("default"));
        }
    }

    @Test
    void theSignatureHookRunsBeforeAnyScript() throws IOException {
        try (Echo fake = new Echo()) {
            fake.answer("/scripted", FakeServer.Reply.text(200, "never"));
            String response = raw(fake, "GET /scripted HTTP/1.1", List.of("X-Sig: forged"), new byte[0]);
            assertTrue(response.startsWith("HTTP/1.1 401"), response);
            assertTrue(response.endsWith("bad signature"), response);
            assertEquals(List.of("bad signature"), fake.rejections());
            assertEquals(401, fake.exchanges().getFirst().status());
        }
    }

    @Test
    void headAnnouncesTheLengthWithoutABody() throws IOException {
        try (Echo fake = new Echo()) {
            String response = raw(fake, "HEAD /x HTTP/1.1", List.of("X-Sig: good"), new byte[0]);
            assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-length: 7\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n"), "no body: " + response);
        }
    }

    /** One request over a plain socket, so nothing between the test and the server touches header names. */
    private static String raw(FakeServer fake, String requestLine, List<String> headers, byte[] body)
            throws IOException {
        try (Socket s = new Socket("127.0.0.1", fake.port())) {
            StringBuilder head = new StringBuilder(requestLine)
                    .append("\r\nHost: 127.0.0.1:")
                    .append(fake.port())
                    .append("\r\nConnection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            s.setSoTimeout(10_000);
            return readResponse(s.getInputStream(), requestLine.startsWith("HEAD"));
        }
    }

    /** The status line, headers and body (Content-Length bytes of it; the server may keep the connection). */
    private static String readResponse(InputStream in, boolean head) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return sb.toString();
            }
            sb.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(sb);
        if (!head && m.find()) {
            sb.append(new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }
}
