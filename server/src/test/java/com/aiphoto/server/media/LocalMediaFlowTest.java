package com.aiphoto.server.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Media on local storage: the server's own signed /files URLs. */
class LocalMediaFlowTest extends MediaFlowContract {
    @Override
    Map<String, String> storageSettings() {
        return Map.of();
    }

    private Path filesDir() {
        return dir.resolve("data/files");
    }

    @Override
    Optional<byte[]> stored(String key) {
        try {
            return Optional.of(Files.readAllBytes(filesDir().resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    int objectCount() {
        return allFiles(dir.resolve("data")).stream()
                .filter(p -> p.startsWith(filesDir()) || p.startsWith(dir.resolve("data/files.tmp")))
                .toList()
                .size();
    }

    private static List<Path> allFiles(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    URI route(URI url) {
        if (url.getPath().startsWith("/files/")) {
            return URI.create("http://127.0.0.1:" + server.port() + url.getRawPath()
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        }
        return url;
    }

    @Override
    boolean checksContentOnUpload() {
        return true;
    }

    @Test
    void traversalInTheFilePathIsRefusedBeforeTheDisk() {
        Login alice = login();
        var g = grant(alice, "a.png", "image/png", PNG.length);
        URI url = URI.create(g.get("uploadUrl").asText());
        String query = "?" + url.getRawQuery();
        String base = "http://127.0.0.1:" + server.port() + "/files/";
        for (String path : List.of(
                "input/%2e%2e/%2e%2e/x.png",
                "input/..%2f..%2fx.png",
                "input%5c..%5cx.png",
                "%2fetc%2fpasswd",
                "input/" + alice.userId() + "/..%2F" + alice.userId() + "/x.png")) {
            int status = send("PUT", URI.create(base + path + query), headers(g), PNG)
                    .statusCode();
            assertFourXx(status);
            assertEquals(400, status, path);
        }
        // Helidon resolves a literal ../ before routing: it either leaves /files or names another key whose
        // signature does not match
        int literal = send(
                        "PUT",
                        URI.create(base + "input/" + alice.userId() + "/../../../x.png" + query),
                        headers(g),
                        PNG)
                .statusCode();
        assertFourXx(literal);
        assertEquals(0, objectCount());
        assertEquals(
                List.of(),
                allFiles(dir).stream()
                        .filter(p -> p.getFileName().toString().equals("x.png"))
                        .toList());
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCutOffAtTheSignedLimit() throws Exception {
        Login alice = login();
        var g = grant(alice, "a.png", "image/png", PNG.length);
        byte[] big = image(PNG, 1024 * 1024);
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
                        route(URI.create(g.get("uploadUrl").asText())))
                .header("Content-Type", "image/png")
                // an InputStream publisher has no length: the body goes out chunked
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build();
        int status;
        try {
            status = raw.send(req, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            status = 413; // the server may answer and close before the client finished sending
        }
        assertEquals(413, status);
        assertEquals(0, objectCount());
    }
}
