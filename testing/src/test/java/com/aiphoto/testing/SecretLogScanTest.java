package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite-wide scan on a planted repository layout: it finds leaks in every kind of log the build keeps. */
class SecretLogScanTest {
    private static final String JWT = "planted-jwt-secret-0123456789abcdef";
    private static final String AMPERSAND = "key&with<markup>0001";
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
            + "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
            + "-----END PRIVATE KEY-----\n";

    @TempDir
    Path repo;

    @Test
    void plantedLeaksAreFoundNamingTheFileAndTheSecretNeverTheValue() throws IOException {
        Path target = repo.resolve("server/target");
        Path registry = target.resolve(TestSecrets.FILE_NAME);
        TestSecrets.register(registry, "JWT_SECRET", JWT);
        TestSecrets.register(registry, "WECHAT_API_KEY", AMPERSAND);
        TestSecrets.register(registry, "merchant private key", PEM);
        TestSecrets.register(registry, "DB_PASSWORD", "");
        TestSecrets.register(registry, "RUNNINGHUB_API_KEY", "never-logged-anywhere-42");

        Path output = write(target.resolve("surefire-reports/com.x.ATest-output.txt"), "INFO login ok token=" + JWT);
        // a JSON log line carrying the whole key: newlines escaped, so only its lines match as they are
        Path json = write(
                target.resolve("it-logs/combined.log"),
                "{\"level\":\"ERROR\",\"message\":\"" + PEM.replace("\n", "\\n") + "\"}\n");
        Path xml = write(
                target.resolve("failsafe-reports/TEST-com.x.BIT.xml"),
                "<system-out><![CDATA[x]]>key="
                        + AMPERSAND.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</system-out>");
        Path kept = write(target.resolve("kept-logs/4242-1-junit1-logs/error.txt"), "callback secret " + JWT);
        write(target.resolve("surefire-reports/com.x.CleanTest.txt"), "Tests run: 1, Failures: 0");
        write(target.resolve("test-classes/fixture.log"), JWT); // build inputs are not logs
        write(target.resolve("data/notes.txt"), JWT); // nor is every file a test wrote
        // a second module with no registry: its logs are searched for the first module's secrets too
        Path other = write(repo.resolve("opsctl/target/surefire-reports/com.y.DTest-output.txt"), "bearer " + JWT);

        SecretLogScan.Result r = SecretLogScan.scan(repo);

        assertEquals(
                Set.of(
                        new SecretLogScan.Leak(output, "JWT_SECRET"),
                        new SecretLogScan.Leak(json, "merchant private key"),
                        new SecretLogScan.Leak(xml, "WECHAT_API_KEY"),
                        new SecretLogScan.Leak(kept, "JWT_SECRET"),
                        new SecretLogScan.Leak(other, "JWT_SECRET")),
                Set.copyOf(r.leaks()));
        assertEquals(Set.of("DB_PASSWORD"), r.tooShort());
        assertEquals(4, r.secrets().size(), r.secrets().toString());
        assertFalse(r.files().contains(registry), "the registry is not a log");
        String report = r.report();
        assertTrue(report.contains("secret JWT_SECRET found in " + output), report);
        for (String value :
                List.of(JWT, AMPERSAND, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj")) {
            assertFalse(report.contains(value), "the report never repeats a value");
        }
        assertFalse(Files.readString(registry).contains(JWT), "the registry holds values encoded");
    }

    @Test
    void withNothingLeakedTheScanIsCleanAndTheRegistryRoundTrips() throws IOException {
        Path registry = repo.resolve("core/target/" + TestSecrets.FILE_NAME);
        TestSecrets.registerAll(registry, Map.of("JWT_SECRET", JWT, "PORT", "3000"), k -> k.endsWith("SECRET"));
        TestSecrets.register(registry, "JWT_SECRET", JWT); // once per JVM
        write(repo.resolve("core/target/surefire-reports/com.z.ETest-output.txt"), "started on port 3000");

        SecretLogScan.Result r = SecretLogScan.scan(repo);

        assertEquals(List.of(new SecretLogScan.Secret("JWT_SECRET", JWT)), r.secrets());
        assertEquals(List.of(), r.leaks());
        assertEquals(1, r.files().size(), r.files().toString());
        assertEquals(1, Files.readAllLines(registry).size());
    }

    @Test
    void filesOfAnEarlierBuildAreLeftOutWhenASinceIsGiven() throws IOException {
        TestSecrets.register(repo.resolve("server/target/" + TestSecrets.FILE_NAME), "JWT_SECRET", JWT);
        Path stale = write(repo.resolve("server/target/surefire-reports/com.x.OldTest-output.txt"), "old " + JWT);
        java.time.Instant buildStart = java.time.Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(buildStart.minusSeconds(3600)));
        assertEquals(
                List.of(new SecretLogScan.Leak(stale, "JWT_SECRET")),
                SecretLogScan.scan(repo).leaks());
        assertEquals(List.of(), SecretLogScan.scan(repo, buildStart).leaks());
    }

    @Test
    void aKeptLogDirectoryIsCopiedOutOfItsTemporaryDirectory() throws IOException {
        Optional<Path> root = TestSecrets.buildLog(TestSecrets.KEPT_LOGS);
        assumeTrue(root.isPresent(), "outside the build: nothing is kept");
        Path logs = write(repo.resolve("server/logs/combined.log"), "kept line " + repo.getFileName())
                .getParent();
        TestSecrets.keepLogs(logs);
        new KeptLogs().afterEach(null);
        try (Stream<Path> s = Files.walk(root.get())) {
            assertTrue(s.filter(p -> p.endsWith("combined.log")).anyMatch(p -> {
                try {
                    return Files.readString(p).equals("kept line " + repo.getFileName());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
