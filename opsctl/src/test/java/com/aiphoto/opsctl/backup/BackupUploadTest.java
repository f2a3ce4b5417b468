package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.FakeCos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup create --upload against a fake COS that checks request signatures strictly. */
class BackupUploadTest {
    private static final String SECRET_ID = "AKIDtestsecretid0001";
    private static final String SECRET_KEY = "test-secret-key-never-printed-0123";

    private static SeededDatabase seeded;

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() {
        seeded = SeededDatabase.create("upload", 50);
    }

    @AfterAll
    static void drop() {
        seeded.close();
    }

    private Map<String, String> env(FakeCos cos, String secretKey) {
        Map<String, String> env = new HashMap<>(seeded.env(dir.resolve("backups")));
        env.putAll(Map.of(
                "COS_BUCKET",
                "backups-1250000000",
                "COS_REGION",
                "ap-guangzhou",
                "COS_ENDPOINT",
                cos.endpoint(),
                "TENCENT_SECRET_ID",
                SECRET_ID,
                "TENCENT_SECRET_KEY",
                secretKey));
        return env;
    }

    @Test
    void uploadRoundTripReadsTheObjectBack() throws IOException {
        try (FakeCos cos = new FakeCos(SECRET_ID, SECRET_KEY)) {
            Cli.Result r = Cli.run(env(cos, SECRET_KEY), "backup", "create", "--upload", "--json");
            assertEquals(ExitCode.OK, r.code(), r.all());
            Map<?, ?> m = Cli.json(r.out());
            String file = (String) m.get("file");
            Map<?, ?> upload = (Map<?, ?>) m.get("upload");
            assertEquals("backups/" + file, upload.get("key"));
            assertArrayEquals(
                    Files.readAllBytes(dir.resolve("backups").resolve(file)),
                    cos.objects().get("backups/" + file));
            String manifest =
                    new String(cos.objects().get("backups/" + m.get("name") + ".json"), StandardCharsets.UTF_8);
            assertTrue(manifest.contains("\"upload\":{"), "the uploaded manifest records the upload: " + manifest);
            assertEquals(
                    List.of(
                            "PUT /backups/" + file + " 200",
                            "GET /backups/" + file + " 200",
                            "PUT /backups/" + m.get("name") + ".json 200"),
                    cos.log());
            assertFalse(r.all().contains(SECRET_KEY));
        }
    }

    @Test
    void aWrongSecretFailsTheUploadButKeepsTheLocalBackup() throws IOException {
        try (FakeCos cos = new FakeCos(SECRET_ID, SECRET_KEY)) {
            Cli.Result r = Cli.run(env(cos, "wrong-secret-key-0123456789"), "backup", "create", "--upload");
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains("is kept in") && r.err().contains("but the upload to cos://"), r.err());
            assertTrue(r.err().contains("SignatureDoesNotMatch"), "refused for its signature: " + r.err());
            assertTrue(cos.objects().isEmpty());
            assertEquals(1, manifests());
            assertFalse(r.all().contains("wrong-secret-key-0123456789"));
        }
    }

    @Test
    void aCopyThatReadsBackDifferentlyFails() throws IOException {
        try (FakeCos cos = new FakeCos(SECRET_ID, SECRET_KEY)) {
            cos.corruptReads();
            Cli.Result r = Cli.run(env(cos, SECRET_KEY), "backup", "create", "--upload");
            assertEquals(ExitCode.FAILED, r.code(), r.all());
            assertTrue(r.err().contains("read back with another SHA-256"), r.err());
            assertEquals(1, manifests(), "the local backup is kept");
        }
    }

    @Test
    void uploadWithoutCosSettingsIsAPrecondition() {
        Cli.Result r = Cli.run(seeded.env(dir.resolve("backups")), "backup", "create", "--upload");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertEquals("opsctl: --upload needs COS_BUCKET, TENCENT_SECRET_ID, TENCENT_SECRET_KEY\n", r.err());
        assertFalse(Files.exists(dir.resolve("backups")), "checked before any work");
    }

    private long manifests() throws IOException {
        try (var files = Files.list(dir.resolve("backups"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
