package com.aiphoto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in a child JVM: production start-up refuses bad configuration, listing every problem. */
class MainTest {
    @TempDir
    Path dir;

    private record Result(int exit, String stdout, String stderr) {}

    private Result runMain(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-XX:+IgnoreUnrecognizedVMOptions",
                        "--sun-misc-unsafe-memory-access=allow",
                        "-cp",
                        productionClassPath(),
                        Main.class.getName())
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> !List.of("PATH", "HOME", "LANG").contains(k));
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Main did not exit");
        }
        return new Result(
                p.exitValue(),
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    /** The test class path without test-classes: no logback-test.xml, logging set up as in production. */
    private static String productionClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @Test
    void productionRefusesMissingAndWeakValuesListingAllOfThem() throws Exception {
        Result r = runMain(Map.of(
                "APP_ENV",
                "production",
                "JWT_SECRET",
                "short-secret-abc",
                "WECHAT_API_KEY",
                "your_wechat_api_key",
                "LOG_DIR",
                dir.resolve("logs").toString()));
        assertEquals(Main.EXIT_BAD_CONFIG, r.exit(), r.stderr());
        for (String key : List.of(
                "JWT_SECRET is too short",
                "INTERNAL_CALLBACK_SECRET",
                "CREDENTIALS_ENCRYPTION_KEY",
                "DB_HOST",
                "REDIS_HOST",
                "WECHAT_API_KEY is a placeholder")) {
            assertTrue(r.stderr().contains(key), "missing '" + key + "' in:\n" + r.stderr());
        }
        assertFalse(
                r.stderr().contains("short-secret-abc") || r.stdout().contains("short-secret-abc"),
                "secret values never appear in messages");
        assertFalse(r.stderr().contains("your_wechat_api_key"));
        assertTrue(r.stderr().lines().count() >= 6, "one line per problem");
    }

    @Test
    void aRefusedConfigurationPrintsOnlyTheProblems() throws Exception {
        // issue 8 #21: logback's default set-up printed a DEBUG Runtime.exit stack trace on stdout
        Result r = runMain(
                Map.of("APP_ENV", "production", "LOG_DIR", dir.resolve("logs").toString()));
        assertEquals(Main.EXIT_BAD_CONFIG, r.exit(), r.stderr());
        assertEquals("", r.stdout());
        assertFalse(r.stderr().contains("DEBUG") || r.stderr().contains("Runtime.exit"), r.stderr());
    }

    @Test
    void aMissingEnvFileIsRefused() throws Exception {
        Result r = runMain(Map.of("AI_PHOTO_ENV_FILE", dir.resolve("nope.env").toString()));
        assertEquals(Main.EXIT_BAD_CONFIG, r.exit());
        assertTrue(r.stderr().contains("env file not found"), r.stderr());
    }
}
