package com.aiphoto.opsctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsctlTest {
    @Test
    void versionPrintsAVersion() {
        Cli.Result r = Cli.run("--version");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().matches("opsctl \\S+\\R"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void helpListsSubcommandsAndGlobalOptions() {
        Cli.Result r = Cli.run("--help");
        assertEquals(ExitCode.OK, r.code());
        for (String s : List.of("config", "completion", "--env-file", "--json", "--verbose", "--quiet")) {
            assertTrue(r.out().contains(s), s + " missing from\n" + r.out());
        }
    }

    @Test
    void subcommandsAcceptTheGlobalOptions() {
        Cli.Result r = Cli.run("config", "check", "--help");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().contains("--env-file") && r.out().contains("--nagios"), r.out());
    }

    @Test
    void unknownOptionIsAOneLineUsageError() {
        Cli.Result r = Cli.run("config", "check", "--bogus");
        assertEquals(CheckStatus.UNKNOWN.exitCode, r.code(), "a check command's usage error is UNKNOWN");
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("opsctl: ") && r.err().contains("--bogus"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownSubcommandIsAUsageErrorWithASuggestion() {
        Cli.Result r = Cli.run("confg");
        assertEquals(ExitCode.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("'confg'") && r.err().contains("'config'"), r.err());
    }

    @Test
    void missingCommandIsAUsageError() {
        assertEquals(ExitCode.USAGE, Cli.run().code());
        Cli.Result r = Cli.run("config");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("check"), r.err());
    }

    @Test
    void verboseAndQuietConflict() {
        assertEquals(ExitCode.USAGE, Cli.run("-v", "-q", "config", "check").code());
    }

    @Test
    void missingEnvFileIsAPreconditionFailureOnOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("missing.env");
        Cli.Result r = Cli.run("config", "check", "--env-file", missing.toString());
        assertEquals(ExitCode.PRECONDITION, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }

    @Test
    void globalOptionsWorkBeforeTheSubcommandToo(@TempDir Path dir) {
        Path missing = dir.resolve("missing.env");
        assertEquals(
                ExitCode.PRECONDITION,
                Cli.run("--env-file", missing.toString(), "config", "check").code());
        assertTrue(Cli.run("--json", "config", "check").out().startsWith("{"));
    }

    @Test
    void envFileComesFromTheInjectedEnvironmentAndFallbacks(@TempDir Path dir) throws IOException {
        Path file = Cli.envFile(dir, "rw-------", "APP_ENV=production");
        // AI_PHOTO_ENV_FILE from the (injected) environment
        Cli.Result named = Cli.run(Map.of("AI_PHOTO_ENV_FILE", file.toString()), "config", "check", "--json");
        assertTrue(named.out().contains("\"appEnv\":\"production\""), named.out());
        // the first existing fallback file
        StringWriter out = new StringWriter();
        int code = new Opsctl(Map.of(), List.of(dir.resolve("absent.env"), file))
                .run(new PrintWriter(out), new PrintWriter(new StringWriter()), "config", "check", "--json");
        assertEquals(CheckStatus.CRITICAL.exitCode, code);
        assertTrue(out.toString().contains(file.toString()), out.toString());
        // real environment variables win over the file
        Cli.Result env =
                Cli.run(Map.of("AI_PHOTO_ENV_FILE", file.toString(), "APP_ENV", "test"), "config", "check", "--json");
        assertTrue(env.out().contains("\"appEnv\":\"test\""), env.out());
        assertFalse(env.out().contains("production"), env.out());
    }
}
