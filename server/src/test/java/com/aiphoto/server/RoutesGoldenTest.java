package com.aiphoto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registered routes are exactly those of {@code routes.golden}: the public surface changes only visibly. */
class RoutesGoldenTest {
    private static final String GOLDEN = "routes.golden";

    @TempDir
    Path dir;

    @Test
    void everyRegisteredRouteIsInTheGoldenFile() throws IOException {
        AiPhotoServer.Running running = AiPhotoServer.start(TestServers.settings(dir, Map.of()), null);
        List<String> actual;
        try {
            actual = running.platform().routes().describe();
        } finally {
            running.stop();
        }
        List<String> header = new ArrayList<>();
        List<String> golden = new ArrayList<>();
        try (InputStream in = RoutesGoldenTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                (line.startsWith("#") ? header : golden).add(line);
            }
        }
        golden.removeIf(String::isBlank);
        if (Boolean.getBoolean("routes.golden.update") && !golden.equals(actual)) {
            List<String> out = new ArrayList<>(header);
            out.addAll(actual);
            Files.write(Path.of("src/test/resources", GOLDEN), out);
            return;
        }
        assertEquals(
                String.join("\n", golden),
                String.join("\n", actual),
                "the public routes changed; if intended, update " + GOLDEN + " (-Droutes.golden.update=true)");
    }
}
