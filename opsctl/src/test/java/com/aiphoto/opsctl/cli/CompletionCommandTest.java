package com.aiphoto.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {
    @Test
    void bashScriptCompletesTheSubcommands() {
        Cli.Result r = Cli.run("completion", "bash");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().contains("complete -F"), r.out());
        assertTrue(r.out().contains("config") && r.out().contains("--env-file"), r.out());
    }

    @Test
    void zshLoadsTheBashScriptThroughBashcompinit() {
        Cli.Result r = Cli.run("completion", "zsh");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().startsWith("#compdef opsctl"), r.out());
        assertTrue(r.out().contains("bashcompinit") && r.out().contains("complete -F"), r.out());
    }

    @Test
    void otherShellsAreAUsageError() {
        Cli.Result r = Cli.run("completion", "fish");
        assertEquals(ExitCode.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
    }
}
