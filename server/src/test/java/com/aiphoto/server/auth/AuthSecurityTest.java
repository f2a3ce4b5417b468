package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.LogFiles;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must never happen: secrets in logs, codes used twice, unsigned SMS requests accepted. */
class AuthSecurityTest {
    @TempDir
    Path dir;

    @Test
    void productionLogsHoldNoCodeNoPasswordNoToken() throws Exception {
        String prefix = TestRedis.randomPrefix();
        try (var db = TestDatabases.create("auth_logs");
                var sms = new FakeTencentSms()) {
            Map<String, String> s = new HashMap<>(db.settings());
            s.putAll(TestRedis.serverSettings(prefix));
            s.putAll(sms.settings());
            s.put("APP_ENV", "production");
            s.put("JWT_SECRET", AuthFlowContract.JWT_SECRET);
            s.put("BCRYPT_COST", "10");
            s.put("REFRESH_GRACE_PERIOD", "0s"); // the reuse below is at once
            // production servers do not migrate: do what opsctl db migrate would
            try (var ds = DataSources.create(DatabaseSettings.from(Settings.of(s)), "migrate")) {
                new Migrations(ds).migrate();
            }
            var server = TestServers.start(dir, s);
            List<String> secrets = new ArrayList<>();
            try {
                Http api = new Http(server.port());
                // production serves the contract but not the development Swagger UI
                assertEquals(200, api.get("/openapi").status());
                assertEquals(404, api.get("/openapi/ui/index.html").status());
                String phone = AuthFlowContract.newPhone();
                assertEquals(
                        200,
                        api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}")
                                .status());
                String code = sms.lastCode(phone);
                JsonNode session = api.post(
                                "/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}")
                        .json()
                        .get("data");
                String access = session.get("accessToken").asText();
                String password = "Pr0d-password-never-logged";
                api.post(
                        "/api/auth/set-password",
                        "{\"newPassword\":\"" + password + "\"}",
                        "Authorization",
                        "Bearer " + access);
                api.post(
                        "/api/auth/password-login",
                        "{\"phone\":\"" + phone + "\",\"password\":\"wrong-" + password + "\"}");
                JsonNode again = api.post(
                                "/api/auth/password-login",
                                "{\"phone\":\"" + phone + "\",\"password\":\"" + password + "\"}")
                        .json()
                        .get("data");
                String refresh = session.get("refreshToken").asText();
                api.post("/api/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}");
                api.post(
                        "/api/auth/refresh",
                        "{\"refreshToken\":\"" + refresh + "\"}"); // reuse: logged as security event
                secrets.addAll(List.of(
                        code,
                        password,
                        access,
                        refresh,
                        again.get("accessToken").asText(),
                        again.get("refreshToken").asText(),
                        AuthFlowContract.JWT_SECRET,
                        FakeTencentSms.SECRET_KEY));
            } finally {
                server.stop();
                TestRedis.deleteByPrefix(prefix);
            }
            String logs = LogFiles.allText(dir.resolve("logs"));
            assertTrue(logs.length() > 1000, "logs were written");
            assertTrue(logs.contains("refresh token reuse"), "the reuse is logged as a security event");
            LogFiles.assertNoSecret(logs, secrets);
        }
    }

    @Test
    void outsideProductionWithoutSmsTheCodeIsLogged() throws Exception {
        var server = TestServers.start(dir, Map.of());
        try {
            Http api = new Http(server.port());
            String phone = AuthFlowContract.newPhone();
            assertEquals(
                    200,
                    api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}")
                            .status());
            String line = Files.readAllLines(dir.resolve("logs/combined.log")).stream()
                    .filter(l -> l.contains("verification code for"))
                    .findFirst()
                    .orElseThrow();
            assertFalse(line.contains(phone), "the phone is masked");
            String code = line.replaceAll(".*verification code for [0-9*]+: (\\d{6}).*", "$1");
            assertEquals(
                    200,
                    api.post("/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}")
                            .status());
        } finally {
            server.stop();
        }
    }

    @Test
    void aBadlySignedSmsRequestIsRefusedAndTheClientGets503() throws Exception {
        try (var sms = new FakeTencentSms()) {
            Map<String, String> s = new HashMap<>(sms.settings());
            s.put("TENCENT_SECRET_KEY", "not-the-right-secret-key-000000");
            var server = TestServers.start(dir, s);
            try {
                Http.Response r = new Http(server.port()).post("/api/auth/send-code", "{\"phone\":\"13900000001\"}");
                assertEquals(503, r.status(), r.body());
                assertEquals(5030, r.json().get("error").get("code").asInt());
                assertEquals(List.of("signature mismatch"), sms.rejections());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void concurrentLoginsWithOneCodeLetExactlyOneIn() throws Exception {
        try (var sms = new FakeTencentSms()) {
            var server = TestServers.start(dir, sms.settings());
            try {
                Http api = new Http(server.port());
                String phone = AuthFlowContract.newPhone();
                api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}");
                String body = "{\"phone\":\"" + phone + "\",\"code\":\"" + sms.lastCode(phone) + "\"}";
                List<Integer> statuses = Concurrently.run(
                        8, () -> api.post("/api/auth/login", body).status());
                assertEquals(
                        1,
                        statuses.stream().filter(st -> st == 200).count(),
                        "a code is single use even under concurrency");
            } finally {
                server.stop();
            }
        }
    }
}
