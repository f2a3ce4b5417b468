package com.aiphoto.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Copies the log directories tests asked to keep ({@link TestSecrets#keepLogs}) out of their temporary
 * directories after each test and each class. JUnit closes a test's {@code @TempDir} (deletes it) only after
 * these callbacks, so the files are still there. Registered for every test by JUnit's extension auto-detection
 * (the parent pom's surefire and failsafe configuration turns it on; META-INF/services names this class).
 */
public final class KeptLogs implements AfterEachCallback, AfterAllCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        TestSecrets.copyKeptLogs();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestSecrets.copyKeptLogs();
    }
}
