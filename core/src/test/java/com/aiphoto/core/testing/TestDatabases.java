package com.aiphoto.core.testing;

/**
 * Transitional: the scratch-database fixture lives in the testing module as {@link com.aiphoto.testing.TestDatabases}.
 * This keeps opsctl's tests compiling until they import that one (after issue 7's merge); then delete it.
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static String user() {
        return com.aiphoto.testing.TestDatabases.user();
    }

    public static String password() {
        return com.aiphoto.testing.TestDatabases.password();
    }

    public static String serverUrl() {
        return com.aiphoto.testing.TestDatabases.serverUrl();
    }

    public static void exec(String sql) {
        com.aiphoto.testing.TestDatabases.exec(sql);
    }

    public static Scratch create(String label) {
        return new Scratch(com.aiphoto.testing.TestDatabases.create(label).name());
    }

    /** The testing module's scratch database under its old name. */
    public static final class Scratch extends com.aiphoto.testing.TestDatabases.Scratch {
        Scratch(String name) {
            super(name);
        }
    }
}
