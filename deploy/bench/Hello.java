import io.helidon.webserver.WebServer;

/**
 * The reference point: a bare Helidon SE route answering a small JSON body like /health, nothing else (no
 * filters, no logging, no media support). {@code java Hello PORT}, with the server's libs on the class path.
 * Feature discovery is off, as in the server: with the server's libs on the class path Helidon would otherwise
 * load the features it finds there (observe, metrics) onto this socket.
 */
public class Hello {
    public static void main(String[] args) {
        WebServer server = WebServer.builder()
                .featuresDiscoverServices(false)
                .port(Integer.parseInt(args[0]))
                .host("127.0.0.1")
                .routing(r -> r.get("/health", (req, res) -> {
                    res.header("Content-Type", "application/json");
                    res.send("{\"status\":\"ok\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"env\":\"production\"}");
                }))
                .build()
                .start();
        System.out.println("hello listening on " + server.port());
    }
}
