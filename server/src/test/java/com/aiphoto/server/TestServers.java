package com.aiphoto.server;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.testing.ConfiguredSecrets;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.platform.Logging;
import com.aiphoto.server.tasks.TasksModule;
import com.aiphoto.testing.TestSecrets;
import com.aiphoto.testing.WeChatPayKeys;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts real servers on free ports with the fixture routes, logs and data in a test's own directory. */
public final class TestServers {
    private TestServers() {}

    public static Settings settings(Path dir, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("APP_ENV", "test");
        m.put("PORT", "0");
        m.put("ADMIN_PORT", "0");
        m.put("HOST", "127.0.0.1");
        m.put("LOG_DIR", dir.resolve("logs").toString());
        m.put("DATA_DIR", dir.resolve("data").toString());
        m.put("SHUTDOWN_TIMEOUT", "5s");
        m.put("DISK_MIN_FREE", "1MB");
        m.putAll(overrides);
        if ("production".equals(m.get("APP_ENV"))) {
            // production never logs login codes: give it an SMS endpoint (nothing listens on port 1)
            for (String k : ConfigCheck.SMS_KEYS) {
                m.putIfAbsent(k, "test-" + k.toLowerCase(java.util.Locale.ROOT));
            }
            m.putIfAbsent("SMS_ENDPOINT", "http://127.0.0.1:1");
            // production requires WeChat Pay: throw-away keys, and a base URL where nothing listens
            if (!m.containsKey("WECHAT_MCHID")) {
                WeChatPayKeys.generate(dir.resolve("wechatpay"))
                        .settings("http://127.0.0.1:1")
                        .forEach(m::putIfAbsent);
            }
        }
        // for the suite-wide "no secret in any log" scan: the secrets, and the log files (kept past the @TempDir)
        ConfiguredSecrets.register(m);
        TestSecrets.keepLogs(Path.of(m.get("LOG_DIR")));
        return Settings.of(m);
    }

    /** Configures logging into {@code dir/logs} and starts the server with the fixture routes. */
    public static AiPhotoServer.Running start(Path dir, Map<String, String> overrides) {
        return start(dir, overrides, PaymentsModule::create);
    }

    /** Like {@link #start(Path, Map)} with the payments feature built by {@code payments}. */
    public static AiPhotoServer.Running start(
            Path dir, Map<String, String> overrides, PaymentsModule.Factory payments) {
        return start(dir, overrides, payments, TasksModule::create);
    }

    /** Like {@link #start(Path, Map)} with the payments and tasks features built by the given factories. */
    public static AiPhotoServer.Running start(
            Path dir, Map<String, String> overrides, PaymentsModule.Factory payments, TasksModule.Factory tasks) {
        Settings s = settings(dir, overrides);
        Logging.configure(s);
        return AiPhotoServer.start(s, FixtureRoutes::new, payments, tasks);
    }
}
