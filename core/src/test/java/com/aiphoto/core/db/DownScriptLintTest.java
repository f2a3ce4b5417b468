package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build fails when an up script in migrations/up has no down script in migrations/down (rollback would
 * refuse it in production), or a down script has no up script (a typo in its name).
 */
class DownScriptLintTest {
    /** Surefire runs in the module's folder; the migrations module is its sibling. */
    private static final Path MIGRATIONS = Path.of("..", "migrations");

    private static final Path FIXTURES = Path.of("src", "test", "resources", "db", "engine");

    @Test
    void everyUpScriptHasADownScript() throws IOException {
        assertEquals(List.of(), problems(MIGRATIONS));
    }

    @Test
    void theLintFindsWhatIsMissing() throws IOException {
        assertEquals(List.of(), problems(FIXTURES.resolve("basic")));
        assertEquals(
                List.of("up/V2__add_colour.sql has no down script down/V2__add_colour.sql"),
                problems(FIXTURES.resolve("nodown")));
    }

    static List<String> problems(Path set) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> ups = scripts(set.resolve("up"));
        List<Path> downs = scripts(set.resolve("down"));
        for (Path up : ups) {
            if (!downs.contains(up)) {
                out.add("up/" + up + " has no down script down/" + up);
            }
        }
        for (Path down : downs) {
            if (!ups.contains(down)) {
                out.add("down/" + down + " has no up script up/" + down);
            }
        }
        return out;
    }

    private static List<Path> scripts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".sql"))
                    .map(dir::relativize)
                    .sorted()
                    .toList();
        }
    }
}
