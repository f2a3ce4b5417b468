package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    @TempDir
    Path dir;

    private Map<String, String> read(String... lines) throws IOException {
        Path f = dir.resolve(".env");
        Files.write(f, List.of(lines));
        return EnvFile.read(f);
    }

    @Test
    void readsAssignmentsExportsCommentsAndBlankLines() throws IOException {
        Map<String, String> v = read(
                "# a comment",
                "",
                "PORT=3001",
                "   ",
                "export DB_HOST=db.internal",
                "  # indented comment",
                "LOG_LEVEL = debug ",
                "EMPTY=");
        assertEquals(Map.of("PORT", "3001", "DB_HOST", "db.internal", "LOG_LEVEL", "debug", "EMPTY", ""), v);
    }

    @Test
    void quotedValuesKeepHashesAndSpaces() throws IOException {
        Map<String, String> v =
                read("A=\"has # hash\"", "B='single # quoted' # trailing comment", "C=\"  padded  \"", "D='x=y'");
        assertEquals("has # hash", v.get("A"));
        assertEquals("single # quoted", v.get("B"));
        assertEquals("  padded  ", v.get("C"));
        assertEquals("x=y", v.get("D"));
    }

    @Test
    void inlineCommentIsStrippedOnlyWhenPrecededBySpace() throws IOException {
        Map<String, String> v = read("A=value # comment", "B=pass#word", "C=value\t# tab comment");
        assertEquals("value", v.get("A"));
        assertEquals("pass#word", v.get("B"));
        assertEquals("value", v.get("C"));
    }

    @Test
    void doubleQuotesExpandNewlinesSingleQuotesDoNot() throws IOException {
        Map<String, String> v = read("A=\"l1\\nl2\"", "B='l1\\nl2'");
        assertEquals("l1\nl2", v.get("A"));
        assertEquals("l1\\nl2", v.get("B"));
    }

    @Test
    void malformedLineNamesItsNumber() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("A=1", "# c", "not an assignment"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> read("=value"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> read("A=1", "B=\"unterminated"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void byteOrderMarkAndCrLfAreTolerated() throws IOException {
        Path f = dir.resolve("win.env");
        Files.writeString(f, "\uFEFFPORT=3002\r\nLOG_LEVEL=warn\r\n");
        assertEquals(Map.of("PORT", "3002", "LOG_LEVEL", "warn"), EnvFile.read(f));
    }

    @Test
    void missingFileIsAConfigException() {
        assertThrows(ConfigException.class, () -> EnvFile.read(dir.resolve("absent.env")));
    }
}
