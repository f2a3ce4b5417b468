package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.TestServers;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * issue 8 #18: Helidon 4.5.0 keeps the TCP connection open after answering a request that said
 * {@code Connection: close} (helidon-io/helidon#12324, fixed by #12326, not in any release on Maven Central as
 * of 2026-12-02). This test pins the bug: when it fails after a Helidon upgrade, the fix has arrived; then
 * invert the assertion so the right behaviour stays pinned.
 */
class ConnectionCloseTest {
    @TempDir
    Path dir;

    @Test
    void helidonStillKeepsTheConnectionOpenAfterConnectionClose() throws Exception {
        var running = TestServers.start(dir, Map.of());
        try (Socket s = new Socket("127.0.0.1", running.port())) {
            s.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            boolean closed = false;
            try {
                for (int b; (b = in.read()) >= 0; ) {
                    got.append((char) b);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // still open 2 s after the answer
            }
            assertTrue(got.toString().startsWith("HTTP/1.1 200"), got.toString());
            assertFalse(
                    closed,
                    "Helidon now closes after Connection: close (helidon#12324 fixed): invert this "
                            + "test and note the upgrade in issue 8 #18");
        } finally {
            running.stop();
        }
    }
}
