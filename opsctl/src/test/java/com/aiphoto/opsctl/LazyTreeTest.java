package com.aiphoto.opsctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the part of the command tree its arguments need (start-up time): it prints, and exits with,
 * exactly what a run on the whole tree does, for help, versions and every kind of usage error.
 */
class LazyTreeTest {
    /** Command lines that touch nothing outside the process: help, versions, usage errors. */
    private static List<String[]> commandLines() {
        List<String[]> lines = new ArrayList<>(List.of(
                new String[0],
                new String[] {"--help"},
                new String[] {"-h"},
                new String[] {"--version"},
                new String[] {"-V"},
                new String[] {"--json"},
                new String[] {"-q"},
                new String[] {"-v", "-q"},
                new String[] {"-vq", "--help"},
                new String[] {"--env-file", "/nonexistent.env", "--help"},
                new String[] {"--env-file=/nonexistent.env", "--help"},
                new String[] {"--env-file"},
                new String[] {"--env-file", "--help"},
                new String[] {"--help", "db"},
                new String[] {"--version", "db", "status"},
                new String[] {"-h", "backup", "create"},
                new String[] {"confg"},
                new String[] {"--json", "confg"},
                new String[] {"help"},
                new String[] {"--bogus"},
                new String[] {"--bogus", "db", "status"},
                new String[] {"-"},
                new String[] {"--"},
                new String[] {"--", "db"},
                new String[] {"@/nonexistent-args-file"},
                new String[] {"db"},
                new String[] {"--json", "db"},
                new String[] {"db", "statsu"},
                new String[] {"db", "status", "--bogus"},
                new String[] {"db", "migrate", "--to"},
                new String[] {"db", "backup"},
                new String[] {"--quiet", "db", "status", "--help"},
                new String[] {"db", "-V"},
                new String[] {"config", "check", "--bogus"},
                new String[] {"backup", "create", "--bogus"},
                new String[] {"cert", "renew", "extra"},
                new String[] {"completion", "fish"},
                new String[] {"completion", "bash"},
                new String[] {"completion", "zsh"},
                new String[] {"completion", "--help"},
                new String[] {"cds-train", "--help"},
                new String[] {"user"},
                new String[] {"-q", "upgrade", "--help"}));
        // every command's --help, found on the whole tree
        collect(new Opsctl(Map.of(), List.of()).commandLine(), new ArrayList<>(), lines);
        return lines;
    }

    private static void collect(CommandLine cl, List<String> path, List<String[]> lines) {
        for (CommandLine sub : new LinkedHashSet<>(cl.getSubcommands().values())) {
            List<String> p = new ArrayList<>(path);
            p.add(sub.getCommandName());
            List<String> help = new ArrayList<>(p);
            help.add("--help");
            lines.add(help.toArray(String[]::new));
            collect(sub, p, lines);
        }
    }

    private record Run(int code, String out, String err) {}

    /**
     * Every path setting points into a directory that must stay empty: a command line here that writes (a state
     * dir, a key, a data file) is a bug, and must not touch this machine's /var either.
     */
    @TempDir
    static Path sandbox;

    private static Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        for (String key : List.of("DATA_DIR", "LOG_DIR", "BACKUP_DIR", "CERT_DIR", "ACME_STATE_DIR", "ACME_WEBROOT")) {
            env.put(key, sandbox.resolve(key.toLowerCase(Locale.ROOT)).toString());
        }
        env.put("ACME_DIRECTORY_URL", "https://127.0.0.1:9/dir"); // a closed port: never the real CA
        return env;
    }

    private static Run run(boolean wholeTree, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Opsctl opsctl = new Opsctl(env(), List.of());
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = wholeTree ? opsctl.runOnTheWholeTree(o, e, args) : opsctl.run(o, e, args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsAndExitsAsTheWholeTreeDoes() throws IOException {
        List<String[]> lines = commandLines();
        assertTrue(lines.size() > 70, "every command's help is among them: " + lines.size());
        for (String[] args : lines) {
            assertEquals(run(true, args), run(false, args), String.join(" ", args));
            try (Stream<Path> written = Files.list(sandbox)) {
                assertEquals(List.of(), written.toList(), String.join(" ", args) + " wrote");
            }
        }
    }

    @Test
    void theRootsHelpListsEveryVisibleCommand() {
        Run help = run(false, "--help");
        assertEquals(0, help.code());
        for (String c : List.of("config", "secrets", "db", "backup", "cert", "user", "health", "upgrade", "logs")) {
            assertTrue(help.out().contains("\n  " + c + " "), c + " missing from\n" + help.out());
        }
        assertFalse(help.out().contains("cds-train"), help.out());
        Run unknown = run(false, "bakup");
        assertNotEquals(0, unknown.code());
        assertTrue(unknown.err().contains("'backup'"), "did you mean: " + unknown.err());
    }

    @Test
    void buildsOnlyTheNamedCommandsSubtree() {
        CommandLine dbStatus = new Opsctl(Map.of(), List.of()).commandLine("--json", "db", "status");
        assertTrue(dbStatus.getSubcommands().get("db").getSubcommands().containsKey("status"));
        assertTrue(dbStatus.getSubcommands().get("backup").getSubcommands().isEmpty(), "backup's subtree built");
        assertTrue(
                dbStatus.getSubcommands().get("backup").getCommandSpec().options().stream()
                        .allMatch(o -> o.inherited()),
                "backup's own options built");
        CommandLine help = new Opsctl(Map.of(), List.of()).commandLine("--help");
        assertTrue(help.getSubcommands().values().stream()
                .allMatch(c -> c.getSubcommands().isEmpty()));
        // completion and unknown commands get everything
        for (String[] args : List.of(new String[] {"completion"}, new String[] {"bakup"}, new String[] {"-x"})) {
            CommandLine whole = new Opsctl(Map.of(), List.of()).commandLine(args);
            assertFalse(whole.getSubcommands().get("backup").getSubcommands().isEmpty(), String.join(" ", args));
        }
    }
}
