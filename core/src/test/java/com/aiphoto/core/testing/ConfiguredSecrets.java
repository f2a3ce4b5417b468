package com.aiphoto.core.testing;

import com.aiphoto.core.config.ConfigCatalog;
import com.aiphoto.testing.TestSecrets;
import java.util.Map;

/**
 * Registers for the suite-wide log scan ({@link TestSecrets}) every value of a test configuration whose variable
 * application.yaml declares a secret. The fixtures that turn a test's settings into a server or an opsctl run call
 * it, so each configured secret is searched for in every log the suite keeps.
 */
public final class ConfiguredSecrets {
    private ConfiguredSecrets() {}

    public static void register(Map<String, String> settings) {
        ConfigCatalog catalog = ConfigCatalog.standard();
        TestSecrets.registerAll(
                settings,
                k -> catalog.find(k).map(ConfigCatalog.Variable::secret).orElse(false));
    }
}
