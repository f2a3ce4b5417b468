package com.aiphoto.opsctl.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every visible command and option is documented, so every man page (and --help) says what it does. */
class ManPagesTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandHasADescriptionAndEveryOptionAHelpText() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec c : ManPages.commands()) {
            String name = c.qualifiedName();
            if (String.join("", c.usageMessage().description()).isBlank()) {
                missing.add(name + ": no description");
            }
            List<ArgSpec> args = new ArrayList<>(c.options());
            args.addAll(c.positionalParameters());
            for (ArgSpec a : args) {
                if (!a.hidden() && String.join("", a.description()).isBlank()) {
                    missing.add(name + " " + a.paramLabel() + ": no help text");
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void onePagePerVisibleCommandWithItsOptions() throws IOException {
        ManPages.main(dir.toString());
        List<CommandSpec> commands = ManPages.commands();
        for (CommandSpec c : commands) {
            Path page = dir.resolve(c.qualifiedName("-") + ".adoc");
            assertTrue(Files.exists(page), "no man page for " + c.qualifiedName());
            String text = Files.readString(page, StandardCharsets.UTF_8);
            assertTrue(text.contains("= " + c.qualifiedName("-") + "(1)"), page + " has no title");
            for (var o : c.options()) {
                if (!o.hidden()) {
                    assertTrue(text.contains("*" + o.longestName() + "*"), page + " lacks " + o.longestName());
                }
            }
        }
        try (var files = Files.list(dir)) {
            long pages = files.filter(p -> p.toString().endsWith(".adoc")).count();
            assertEquals(commands.size(), pages, "a page for a hidden command, or one missing");
        }
    }
}
